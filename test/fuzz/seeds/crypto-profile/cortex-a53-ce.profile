# presec crypto profile (see model/ipsec/crypto-profile.h for the format)
name = cortex-a53-ce
description = ARM Cortex-A53 (AArch64, crypto extensions), OpenSSL: per-byte from OpenSSL perlasm notes; per-packet, 3DES, IPComp and key operations are estimates scaled from x86-64-aesni
frequency_hz = 1.2e+09
active_power_w = 0.4

encryption.aes-128-cbc.encrypt_cycles_per_byte = 1.3
encryption.aes-128-cbc.decrypt_cycles_per_byte = 1.3
encryption.aes-128-cbc.cycles_per_packet = 60.78

encryption.aes-256-cbc.encrypt_cycles_per_byte = 1.82
encryption.aes-256-cbc.decrypt_cycles_per_byte = 1.82
encryption.aes-256-cbc.cycles_per_packet = 60.78

encryption.aes-128-gcm-16.encrypt_cycles_per_byte = 2.4
encryption.aes-128-gcm-16.decrypt_cycles_per_byte = 2.4
encryption.aes-128-gcm-16.cycles_per_packet = 2553

encryption.aes-256-gcm-16.encrypt_cycles_per_byte = 2.96
encryption.aes-256-gcm-16.decrypt_cycles_per_byte = 2.96
encryption.aes-256-gcm-16.cycles_per_packet = 2553

encryption.3des-cbc.encrypt_cycles_per_byte = 120
encryption.3des-cbc.decrypt_cycles_per_byte = 120
encryption.3des-cbc.cycles_per_packet = 60.78

encryption.chacha20-poly1305.encrypt_cycles_per_byte = 5.87
encryption.chacha20-poly1305.decrypt_cycles_per_byte = 5.87
encryption.chacha20-poly1305.cycles_per_packet = 536.4

authentication.hmac-sha1-96.encrypt_cycles_per_byte = 2.2
authentication.hmac-sha1-96.decrypt_cycles_per_byte = 2.2
authentication.hmac-sha1-96.cycles_per_packet = 1470

authentication.hmac-sha256-128.encrypt_cycles_per_byte = 2.4
authentication.hmac-sha256-128.decrypt_cycles_per_byte = 2.4
authentication.hmac-sha256-128.cycles_per_packet = 1568

ipsec.cycles_per_packet = 7500
ipsec.cycles_per_byte = 1

ipcomp.deflate_cycles_per_packet = 10000
ipcomp.deflate_cycles_per_byte = 80
ipcomp.inflate_cycles_per_packet = 2000
ipcomp.inflate_cycles_per_byte = 12

key.x25519.cycles = 414000
key.ffdh-2048.cycles = 8022400
key.rsa2048-sign.cycles = 6992000
key.rsa2048-verify.cycles = 312800
key.ecdsa-p256-sign.cycles = 253000
key.ecdsa-p256-verify.cycles = 793500
