# presec crypto profile (see model/ipsec/crypto-profile.h for the format)
name = xscale-pxa250
description = Intel XScale PXA250 (ARMv5TE, 400 MHz), 2000s handheld: AES/SHA per-byte from published figures; GCM, ChaCha20-Poly1305, 3DES, per-packet, IPComp and key operations are estimates
frequency_hz = 4e+08
active_power_w = 0.4

encryption.aes-128-cbc.encrypt_cycles_per_byte = 42
encryption.aes-128-cbc.decrypt_cycles_per_byte = 42
encryption.aes-128-cbc.cycles_per_packet = 91.17

encryption.aes-256-cbc.encrypt_cycles_per_byte = 58.8
encryption.aes-256-cbc.decrypt_cycles_per_byte = 58.8
encryption.aes-256-cbc.cycles_per_packet = 91.17

encryption.aes-128-gcm-16.encrypt_cycles_per_byte = 82
encryption.aes-128-gcm-16.decrypt_cycles_per_byte = 82
encryption.aes-128-gcm-16.cycles_per_packet = 3830

encryption.aes-256-gcm-16.encrypt_cycles_per_byte = 98.8
encryption.aes-256-gcm-16.decrypt_cycles_per_byte = 98.8
encryption.aes-256-gcm-16.cycles_per_packet = 3830

encryption.3des-cbc.encrypt_cycles_per_byte = 150
encryption.3des-cbc.decrypt_cycles_per_byte = 150
encryption.3des-cbc.cycles_per_packet = 91.17

encryption.chacha20-poly1305.encrypt_cycles_per_byte = 27.08
encryption.chacha20-poly1305.decrypt_cycles_per_byte = 27.08
encryption.chacha20-poly1305.cycles_per_packet = 804.7

authentication.hmac-sha1-96.encrypt_cycles_per_byte = 21
authentication.hmac-sha1-96.decrypt_cycles_per_byte = 21
authentication.hmac-sha1-96.cycles_per_packet = 4471

authentication.hmac-sha256-128.encrypt_cycles_per_byte = 35
authentication.hmac-sha256-128.decrypt_cycles_per_byte = 35
authentication.hmac-sha256-128.cycles_per_packet = 6371

ipsec.cycles_per_packet = 7500
ipsec.cycles_per_byte = 1

ipcomp.deflate_cycles_per_packet = 15000
ipcomp.deflate_cycles_per_byte = 120
ipcomp.inflate_cycles_per_packet = 3000
ipcomp.inflate_cycles_per_byte = 18

key.x25519.cycles = 1656000
key.ffdh-2048.cycles = 25070000
key.rsa2048-sign.cycles = 21850000
key.rsa2048-verify.cycles = 977500
key.ecdsa-p256-sign.cycles = 1012000
key.ecdsa-p256-verify.cycles = 3174000
