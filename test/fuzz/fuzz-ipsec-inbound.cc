/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// libFuzzer target: the inbound ESP, AH and IPComp decoders fed raw packets, in both crypto
// modes. The first byte picks the decoder and mode; the SAs are fixed, so most inputs fail
// the ICV — the point is that nothing crashes and every failure has a reason.

#include "ns3/ah-transform.h"
#include "ns3/esp-transform.h"
#include "ns3/ipcomp-transform.h"

#include <cstdint>
#include <cstdlib>

using namespace ns3;

namespace
{

Ptr<SecurityAssociation>
MakeSa(IpsecProtocol protocol, EncryptionAlgorithm enc, AuthenticationAlgorithm auth)
{
    auto sa = Create<SecurityAssociation>();
    sa->spi = 0x1001;
    sa->source = Ipv4Address("192.168.1.1");
    sa->destination = Ipv4Address("192.168.1.2");
    sa->protocol = protocol;
    sa->encryption = enc;
    sa->authentication = auth;
    sa->encryptionKey.assign(GetProperties(enc).keyBytes, 0x11);
    sa->authenticationKey.assign(GetProperties(auth).keyBytes, 0x22);
    return sa;
}

} // namespace

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    if (size < 1)
    {
        return 0;
    }
    uint8_t selector = data[0];
    Ptr<Packet> p = Create<Packet>(data + 1, size - 1);
    CryptoMode mode = (selector & 1) ? CryptoMode::REAL : CryptoMode::MODELED;
    TransformResult r;
    switch ((selector >> 1) % 5)
    {
    case 0: {
        auto sa = MakeSa(IpsecProtocol::ESP,
                         EncryptionAlgorithm::AES_128_CBC,
                         AuthenticationAlgorithm::HMAC_SHA1_96);
        r = EspTransform::Unprotect(p, *sa, mode);
        break;
    }
    case 1: {
        auto sa = MakeSa(IpsecProtocol::ESP,
                         EncryptionAlgorithm::AES_128_GCM_16,
                         AuthenticationAlgorithm::NONE);
        r = EspTransform::Unprotect(p, *sa, mode);
        break;
    }
    case 2: {
        auto sa = MakeSa(IpsecProtocol::ESP,
                         EncryptionAlgorithm::NULL_ENC,
                         AuthenticationAlgorithm::NONE);
        r = EspTransform::Unprotect(p, *sa, mode);
        break;
    }
    case 3: {
        auto sa = MakeSa(IpsecProtocol::AH,
                         EncryptionAlgorithm::NULL_ENC,
                         AuthenticationAlgorithm::HMAC_SHA256_128);
        r = AhTransform::Unprotect(p,
                                   Ipv4Address("192.168.1.1"),
                                   Ipv4Address("192.168.1.2"),
                                   7,
                                   *sa,
                                   mode);
        break;
    }
    default: {
        auto sa = MakeSa(IpsecProtocol::IPCOMP,
                         EncryptionAlgorithm::NULL_ENC,
                         AuthenticationAlgorithm::NONE);
        r = IpcompTransform::Unprotect(p, *sa);
        break;
    }
    }
    if (!r.drop && !r.packet)
    {
        std::abort(); // neither a result nor a reason
    }
    return 0;
}
