# presec crypto profile (see model/ipsec/crypto-profile.h for the format)
name = x86-64-aesni
description = x86-64 with AES-NI/PCLMULQDQ, OpenSSL 3.0: per-byte from OpenSSL perlasm notes and openssl speed -evp fits on a 2.3 GHz Xeon; per-packet from the 16 B / 16 KiB fits; IPsec framing from FreeS/WAN (6 c/B at 1500 B)
frequency_hz = 2.3e+09
active_power_w = 10

encryption.aes-128-cbc.encrypt_cycles_per_byte = 4.1
encryption.aes-128-cbc.decrypt_cycles_per_byte = 1.3
encryption.aes-128-cbc.cycles_per_packet = 30.39

encryption.aes-256-cbc.encrypt_cycles_per_byte = 5.74
encryption.aes-256-cbc.decrypt_cycles_per_byte = 1.82
encryption.aes-256-cbc.cycles_per_packet = 30.39

encryption.aes-128-gcm-16.encrypt_cycles_per_byte = 0.6342
encryption.aes-128-gcm-16.decrypt_cycles_per_byte = 0.6342
encryption.aes-128-gcm-16.cycles_per_packet = 1277

encryption.aes-256-gcm-16.encrypt_cycles_per_byte = 0.7927
encryption.aes-256-gcm-16.decrypt_cycles_per_byte = 0.7927
encryption.aes-256-gcm-16.cycles_per_packet = 1277

encryption.3des-cbc.encrypt_cycles_per_byte = 88.8
encryption.3des-cbc.decrypt_cycles_per_byte = 88.8
encryption.3des-cbc.cycles_per_packet = 30.39

encryption.chacha20-poly1305.encrypt_cycles_per_byte = 0.7935
encryption.chacha20-poly1305.decrypt_cycles_per_byte = 0.7935
encryption.chacha20-poly1305.cycles_per_packet = 268.2

authentication.hmac-sha1-96.encrypt_cycles_per_byte = 2.002
authentication.hmac-sha1-96.decrypt_cycles_per_byte = 2.002
authentication.hmac-sha1-96.cycles_per_packet = 850.5

authentication.hmac-sha256-128.encrypt_cycles_per_byte = 1.665
authentication.hmac-sha256-128.decrypt_cycles_per_byte = 1.665
authentication.hmac-sha256-128.cycles_per_packet = 843.3

ipsec.cycles_per_packet = 7500
ipsec.cycles_per_byte = 1

ipcomp.deflate_cycles_per_packet = 5000
ipcomp.deflate_cycles_per_byte = 40
ipcomp.inflate_cycles_per_packet = 1000
ipcomp.inflate_cycles_per_byte = 6

key.x25519.cycles = 82800
key.ffdh-2048.cycles = 1002800
key.rsa2048-sign.cycles = 874000
key.rsa2048-verify.cycles = 39100
key.ecdsa-p256-sign.cycles = 50600
key.ecdsa-p256-verify.cycles = 158700
