# presec crypto profile (see model/ipsec/crypto-profile.h for the format)
name = free
description = zero cost: IPsec processing takes no simulated time
frequency_hz = 1e+09
active_power_w = 0

encryption.aes-128-cbc.encrypt_cycles_per_byte = 0
encryption.aes-128-cbc.decrypt_cycles_per_byte = 0
encryption.aes-128-cbc.cycles_per_packet = 0

encryption.aes-256-cbc.encrypt_cycles_per_byte = 0
encryption.aes-256-cbc.decrypt_cycles_per_byte = 0
encryption.aes-256-cbc.cycles_per_packet = 0

encryption.aes-128-gcm-16.encrypt_cycles_per_byte = 0
encryption.aes-128-gcm-16.decrypt_cycles_per_byte = 0
encryption.aes-128-gcm-16.cycles_per_packet = 0

encryption.aes-256-gcm-16.encrypt_cycles_per_byte = 0
encryption.aes-256-gcm-16.decrypt_cycles_per_byte = 0
encryption.aes-256-gcm-16.cycles_per_packet = 0

encryption.3des-cbc.encrypt_cycles_per_byte = 0
encryption.3des-cbc.decrypt_cycles_per_byte = 0
encryption.3des-cbc.cycles_per_packet = 0

encryption.chacha20-poly1305.encrypt_cycles_per_byte = 0
encryption.chacha20-poly1305.decrypt_cycles_per_byte = 0
encryption.chacha20-poly1305.cycles_per_packet = 0

authentication.hmac-sha1-96.encrypt_cycles_per_byte = 0
authentication.hmac-sha1-96.decrypt_cycles_per_byte = 0
authentication.hmac-sha1-96.cycles_per_packet = 0

authentication.hmac-sha256-128.encrypt_cycles_per_byte = 0
authentication.hmac-sha256-128.decrypt_cycles_per_byte = 0
authentication.hmac-sha256-128.cycles_per_packet = 0

ipsec.cycles_per_packet = 0
ipsec.cycles_per_byte = 0

ipcomp.deflate_cycles_per_packet = 0
ipcomp.deflate_cycles_per_byte = 0
ipcomp.inflate_cycles_per_packet = 0
ipcomp.inflate_cycles_per_byte = 0

key.x25519.cycles = 0
key.ffdh-2048.cycles = 0
key.rsa2048-sign.cycles = 0
key.rsa2048-verify.cycles = 0
key.ecdsa-p256-sign.cycles = 0
key.ecdsa-p256-verify.cycles = 0
