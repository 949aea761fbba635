/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ike-header.h"

#include "ike-key-schedule.h"

#include "ns3/abort.h"
#include "ns3/assert.h"
#include "ns3/ipsec-crypto.h"
#include "ns3/log.h"

#include <algorithm>
#include <cstring>
#include <iomanip>
#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("IkeHeader");

NS_OBJECT_ENSURE_REGISTERED(IkeHeader);
NS_OBJECT_ENSURE_REGISTERED(IkePayload);

namespace
{

constexpr uint32_t kIvBytes = 16;  // AES-CBC IV of the SK payload
constexpr uint32_t kIcvBytes = 12; // HMAC-SHA1-96
constexpr uint32_t kBlockBytes = 16;

void
Put16(std::vector<uint8_t>& v, uint16_t x)
{
    v.push_back(x >> 8);
    v.push_back(x & 0xff);
}

void
Put32(std::vector<uint8_t>& v, uint32_t x)
{
    for (int s = 24; s >= 0; s -= 8)
    {
        v.push_back((x >> s) & 0xff);
    }
}

uint16_t
Get16(const uint8_t* p)
{
    return (uint16_t(p[0]) << 8) | p[1];
}

uint32_t
Get32(const uint8_t* p)
{
    return (uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) | (uint32_t(p[2]) << 8) | p[3];
}

uint32_t
Spi32(const std::vector<uint8_t>& spi)
{
    return spi.size() == 4 ? Get32(spi.data()) : 0;
}

/// Bytes of a header serialised on its own.
template <typename H>
std::vector<uint8_t>
HeaderBytes(const H& h)
{
    Buffer b;
    b.AddAtStart(h.GetSerializedSize());
    h.Serialize(b.Begin());
    std::vector<uint8_t> out(b.GetSize());
    b.CopyData(out.data(), out.size());
    return out;
}

std::string
Hex(const std::vector<uint8_t>& v, size_t max = 8)
{
    std::ostringstream os;
    for (size_t i = 0; i < v.size() && i < max; ++i)
    {
        os << std::hex << std::setw(2) << std::setfill('0') << +v[i];
    }
    if (v.size() > max)
    {
        os << "..";
    }
    return os.str();
}

} // namespace

std::string
ToString(IkeExchangeType t)
{
    switch (t)
    {
    case IkeExchangeType::IKE_SA_INIT:
        return "IKE_SA_INIT";
    case IkeExchangeType::IKE_AUTH:
        return "IKE_AUTH";
    case IkeExchangeType::CREATE_CHILD_SA:
        return "CREATE_CHILD_SA";
    case IkeExchangeType::INFORMATIONAL:
        return "INFORMATIONAL";
    }
    return "exchange-" + std::to_string(static_cast<int>(t));
}

std::string
ToString(IkePayloadType t)
{
    switch (t)
    {
    case IkePayloadType::NONE:
        return "none";
    case IkePayloadType::SA:
        return "SA";
    case IkePayloadType::KE:
        return "KE";
    case IkePayloadType::IDI:
        return "IDi";
    case IkePayloadType::IDR:
        return "IDr";
    case IkePayloadType::CERT:
        return "CERT";
    case IkePayloadType::CERTREQ:
        return "CERTREQ";
    case IkePayloadType::AUTH:
        return "AUTH";
    case IkePayloadType::NONCE:
        return "Nonce";
    case IkePayloadType::NOTIFY:
        return "N";
    case IkePayloadType::DELETE:
        return "D";
    case IkePayloadType::VENDOR_ID:
        return "V";
    case IkePayloadType::TSI:
        return "TSi";
    case IkePayloadType::TSR:
        return "TSr";
    case IkePayloadType::SK:
        return "SK";
    case IkePayloadType::SKF:
        return "SKF";
    }
    return "payload-" + std::to_string(static_cast<int>(t));
}

// ---------------------------------------------------------------------------------------
// IkeHeader

TypeId
IkeHeader::GetTypeId()
{
    static TypeId tid = TypeId("ns3::IkeHeader")
                            .SetParent<Header>()
                            .SetGroupName("Presec")
                            .AddConstructor<IkeHeader>();
    return tid;
}

IkeHeader::IkeHeader() = default;

TypeId
IkeHeader::GetInstanceTypeId() const
{
    return GetTypeId();
}

bool
IkeHeader::IsResponse() const
{
    return (flags & ike::FLAG_RESPONSE) != 0;
}

bool
IkeHeader::IsFromInitiator() const
{
    return (flags & ike::FLAG_INITIATOR) != 0;
}

std::optional<IkeExchangeType>
IkeHeader::GetExchangeType() const
{
    if (exchangeType >= 34 && exchangeType <= 37)
    {
        return static_cast<IkeExchangeType>(exchangeType);
    }
    return std::nullopt;
}

bool
IkeHeader::IsValid() const
{
    return m_valid;
}

uint32_t
IkeHeader::GetSerializedSize() const
{
    return ike::HEADER_SIZE;
}

void
IkeHeader::Serialize(Buffer::Iterator i) const
{
    i.WriteHtonU64(spiInitiator);
    i.WriteHtonU64(spiResponder);
    i.WriteU8(nextPayload);
    i.WriteU8(version);
    i.WriteU8(exchangeType);
    i.WriteU8(flags);
    i.WriteHtonU32(messageId);
    i.WriteHtonU32(length);
}

uint32_t
IkeHeader::Deserialize(Buffer::Iterator i)
{
    if (i.GetRemainingSize() < ike::HEADER_SIZE)
    {
        m_valid = false;
        return 0;
    }
    spiInitiator = i.ReadNtohU64();
    spiResponder = i.ReadNtohU64();
    nextPayload = i.ReadU8();
    version = i.ReadU8();
    exchangeType = i.ReadU8();
    flags = i.ReadU8();
    messageId = i.ReadNtohU32();
    length = i.ReadNtohU32();
    m_valid = true;
    return ike::HEADER_SIZE;
}

void
IkeHeader::Print(std::ostream& os) const
{
    os << "IKEv2 " << std::hex << "SPIi=0x" << spiInitiator << " SPIr=0x" << spiResponder
       << std::dec << " next=" << +nextPayload << " version=0x" << std::hex << +version << std::dec
       << " exchange=";
    if (auto t = GetExchangeType())
    {
        os << ToString(*t);
    }
    else
    {
        os << +exchangeType;
    }
    os << " flags=" << (IsFromInitiator() ? "I" : "") << (IsResponse() ? "R" : "")
       << " msgid=" << messageId << " length=" << length;
}

// ---------------------------------------------------------------------------------------
// Proposals, transforms, selectors

uint32_t
IkeTransform::GetSerializedSize() const
{
    return keyLength ? 12 : 8;
}

bool
IkeTransform::operator==(const IkeTransform& o) const
{
    return type == o.type && id == o.id && keyLength == o.keyLength;
}

uint32_t
IkeProposal::GetSerializedSize() const
{
    uint32_t n = 8 + spi.size();
    for (const auto& t : transforms)
    {
        n += t.GetSerializedSize();
    }
    return n;
}

const IkeTransform*
IkeProposal::Find(uint8_t type) const
{
    for (const auto& t : transforms)
    {
        if (t.type == type)
        {
            return &t;
        }
    }
    return nullptr;
}

uint32_t
IkeProposal::GetSpi32() const
{
    return Spi32(spi);
}

bool
IkeProposal::operator==(const IkeProposal& o) const
{
    return number == o.number && protocolId == o.protocolId && spi == o.spi &&
           transforms == o.transforms;
}

IkeTrafficSelector
IkeTrafficSelector::Host(Ipv4Address a)
{
    IkeTrafficSelector ts;
    ts.startAddress = a;
    ts.endAddress = a;
    return ts;
}

IkeTrafficSelector
IkeTrafficSelector::Any()
{
    return IkeTrafficSelector();
}

bool
IkeTrafficSelector::operator==(const IkeTrafficSelector& o) const
{
    return ipProtocol == o.ipProtocol && startPort == o.startPort && endPort == o.endPort &&
           startAddress == o.startAddress && endAddress == o.endAddress;
}

// ---------------------------------------------------------------------------------------
// IkePayload

TypeId
IkePayload::GetTypeId()
{
    static TypeId tid = TypeId("ns3::IkePayload")
                            .SetParent<Header>()
                            .SetGroupName("Presec")
                            .AddConstructor<IkePayload>();
    return tid;
}

IkePayload::IkePayload(IkePayloadType t)
    : type(t)
{
}

TypeId
IkePayload::GetInstanceTypeId() const
{
    return GetTypeId();
}

bool
IkePayload::IsValid() const
{
    return m_valid;
}

const std::string&
IkePayload::GetError() const
{
    return m_error;
}

uint32_t
IkePayload::GetSpi32() const
{
    return Spi32(spi);
}

IkePayload
IkePayload::MakeSa(std::vector<IkeProposal> p)
{
    IkePayload pl(IkePayloadType::SA);
    pl.proposals = std::move(p);
    return pl;
}

IkePayload
IkePayload::MakeKe(uint16_t g, std::vector<uint8_t> publicValue)
{
    IkePayload pl(IkePayloadType::KE);
    pl.group = g;
    pl.data = std::move(publicValue);
    return pl;
}

IkePayload
IkePayload::MakeNonce(std::vector<uint8_t> nonce)
{
    IkePayload pl(IkePayloadType::NONCE);
    pl.data = std::move(nonce);
    return pl;
}

IkePayload
IkePayload::MakeId(bool responder, uint8_t idType, std::vector<uint8_t> value)
{
    IkePayload pl(responder ? IkePayloadType::IDR : IkePayloadType::IDI);
    pl.subType = idType;
    pl.data = std::move(value);
    return pl;
}

IkePayload
IkePayload::MakeAuth(uint8_t method, std::vector<uint8_t> value)
{
    IkePayload pl(IkePayloadType::AUTH);
    pl.subType = method;
    pl.data = std::move(value);
    return pl;
}

IkePayload
IkePayload::MakeCert(bool request, uint8_t encoding, std::vector<uint8_t> value)
{
    IkePayload pl(request ? IkePayloadType::CERTREQ : IkePayloadType::CERT);
    pl.subType = encoding;
    pl.data = std::move(value);
    return pl;
}

IkePayload
IkePayload::MakeNotify(uint16_t n,
                       std::vector<uint8_t> value,
                       uint8_t proto,
                       std::vector<uint8_t> s)
{
    IkePayload pl(IkePayloadType::NOTIFY);
    pl.notifyType = n;
    pl.data = std::move(value);
    pl.protocolId = proto;
    pl.spi = std::move(s);
    return pl;
}

IkePayload
IkePayload::MakeDelete(uint8_t proto, const std::vector<uint32_t>& spis)
{
    IkePayload pl(IkePayloadType::DELETE);
    pl.protocolId = proto;
    pl.spiSize = proto == ike::PROTO_IKE ? 0 : 4;
    for (uint32_t s : spis)
    {
        Put32(pl.deleteSpis, s);
    }
    return pl;
}

IkePayload
IkePayload::MakeTs(bool responder, std::vector<IkeTrafficSelector> s)
{
    IkePayload pl(responder ? IkePayloadType::TSR : IkePayloadType::TSI);
    pl.selectors = std::move(s);
    return pl;
}

uint32_t
IkePayload::GetBodySize() const
{
    switch (type)
    {
    case IkePayloadType::SA: {
        uint32_t n = 0;
        for (const auto& p : proposals)
        {
            n += p.GetSerializedSize();
        }
        return n;
    }
    case IkePayloadType::KE:
    case IkePayloadType::IDI:
    case IkePayloadType::IDR:
    case IkePayloadType::AUTH:
        return 4 + data.size();
    case IkePayloadType::CERT:
    case IkePayloadType::CERTREQ:
        return 1 + data.size();
    case IkePayloadType::NOTIFY:
        return 4 + spi.size() + data.size();
    case IkePayloadType::DELETE:
        return 4 + deleteSpis.size();
    case IkePayloadType::TSI:
    case IkePayloadType::TSR:
        return 4 + 16 * selectors.size();
    default:
        return data.size();
    }
}

uint32_t
IkePayload::GetSerializedSize() const
{
    return ike::PAYLOAD_HEADER_SIZE + GetBodySize();
}

void
IkePayload::Serialize(Buffer::Iterator i) const
{
    uint32_t length = GetSerializedSize();
    NS_ASSERT_MSG(length <= 0xffff, "IKE payload of " << length << " bytes");
    i.WriteU8(nextPayload);
    i.WriteU8(critical ? 0x80 : 0);
    i.WriteHtonU16(length);
    std::vector<uint8_t> b;
    b.reserve(length);
    switch (type)
    {
    case IkePayloadType::SA:
        for (size_t k = 0; k < proposals.size(); ++k)
        {
            const IkeProposal& p = proposals[k];
            b.push_back(k + 1 == proposals.size() ? 0 : 2);
            b.push_back(0);
            Put16(b, p.GetSerializedSize());
            b.push_back(p.number);
            b.push_back(p.protocolId);
            b.push_back(p.spi.size());
            b.push_back(p.transforms.size());
            b.insert(b.end(), p.spi.begin(), p.spi.end());
            for (size_t j = 0; j < p.transforms.size(); ++j)
            {
                const IkeTransform& t = p.transforms[j];
                b.push_back(j + 1 == p.transforms.size() ? 0 : 3);
                b.push_back(0);
                Put16(b, t.GetSerializedSize());
                b.push_back(t.type);
                b.push_back(0);
                Put16(b, t.id);
                if (t.keyLength)
                {
                    Put16(b, 0x8000 | ike::ATTR_KEY_LENGTH);
                    Put16(b, *t.keyLength);
                }
            }
        }
        break;
    case IkePayloadType::KE:
        Put16(b, group);
        Put16(b, 0);
        b.insert(b.end(), data.begin(), data.end());
        break;
    case IkePayloadType::IDI:
    case IkePayloadType::IDR:
    case IkePayloadType::AUTH:
        b.push_back(subType);
        b.insert(b.end(), 3, 0);
        b.insert(b.end(), data.begin(), data.end());
        break;
    case IkePayloadType::CERT:
    case IkePayloadType::CERTREQ:
        b.push_back(subType);
        b.insert(b.end(), data.begin(), data.end());
        break;
    case IkePayloadType::NOTIFY:
        b.push_back(protocolId);
        b.push_back(spi.size());
        Put16(b, notifyType);
        b.insert(b.end(), spi.begin(), spi.end());
        b.insert(b.end(), data.begin(), data.end());
        break;
    case IkePayloadType::DELETE:
        b.push_back(protocolId);
        b.push_back(spiSize);
        Put16(b, spiSize == 0 ? 0 : deleteSpis.size() / spiSize);
        b.insert(b.end(), deleteSpis.begin(), deleteSpis.end());
        break;
    case IkePayloadType::TSI:
    case IkePayloadType::TSR:
        b.push_back(selectors.size());
        b.insert(b.end(), 3, 0);
        for (const auto& s : selectors)
        {
            b.push_back(ike::TS_IPV4_ADDR_RANGE);
            b.push_back(s.ipProtocol);
            Put16(b, 16);
            Put16(b, s.startPort);
            Put16(b, s.endPort);
            Put32(b, s.startAddress.Get());
            Put32(b, s.endAddress.Get());
        }
        break;
    default:
        b = data;
        break;
    }
    NS_ASSERT(b.size() + ike::PAYLOAD_HEADER_SIZE == length);
    i.Write(b.data(), b.size());
}

uint32_t
IkePayload::Deserialize(Buffer::Iterator i)
{
    m_valid = false;
    uint32_t remaining = i.GetRemainingSize();
    if (remaining < ike::PAYLOAD_HEADER_SIZE)
    {
        m_error = "truncated payload header";
        return remaining;
    }
    nextPayload = i.ReadU8();
    critical = (i.ReadU8() & 0x80) != 0;
    uint16_t length = i.ReadNtohU16();
    if (length < ike::PAYLOAD_HEADER_SIZE)
    {
        m_error = "payload length " + std::to_string(length) + " < 4";
        return ike::PAYLOAD_HEADER_SIZE;
    }
    if (length > remaining)
    {
        m_error = "payload length " + std::to_string(length) + " exceeds the " +
                  std::to_string(remaining) + " bytes left";
        return remaining;
    }
    std::vector<uint8_t> body(length - ike::PAYLOAD_HEADER_SIZE);
    i.Read(body.data(), body.size());
    m_error = ParseBody(body.data(), body.size());
    if (!m_error.empty())
    {
        m_error = ToString(type) + ": " + m_error;
    }
    m_valid = m_error.empty();
    return length;
}

std::string
IkePayload::ParseBody(const uint8_t* b, uint32_t n)
{
    proposals.clear();
    selectors.clear();
    data.clear();
    spi.clear();
    deleteSpis.clear();
    switch (type)
    {
    case IkePayloadType::SA: {
        uint32_t off = 0;
        bool last = n == 0;
        while (off < n)
        {
            if (last)
            {
                return "data after the last proposal";
            }
            if (n - off < 8)
            {
                return "truncated proposal";
            }
            const uint8_t* p = b + off;
            uint8_t more = p[0];
            uint16_t plen = Get16(p + 2);
            if (plen < 8 || plen > n - off)
            {
                return "bad proposal length " + std::to_string(plen);
            }
            if (more != 0 && more != 2)
            {
                return "bad last-substructure value " + std::to_string(more);
            }
            last = more == 0;
            IkeProposal prop;
            prop.number = p[4];
            prop.protocolId = p[5];
            uint8_t spiSize = p[6];
            uint8_t count = p[7];
            if (8u + spiSize > plen)
            {
                return "proposal SPI beyond the proposal";
            }
            prop.spi.assign(p + 8, p + 8 + spiSize);
            uint32_t t = 8 + spiSize;
            for (uint8_t k = 0; k < count; ++k)
            {
                if (plen - t < 8)
                {
                    return "truncated transform";
                }
                const uint8_t* q = p + t;
                uint16_t tlen = Get16(q + 2);
                if (tlen < 8 || tlen > plen - t)
                {
                    return "bad transform length " + std::to_string(tlen);
                }
                if ((q[0] == 0) != (k + 1 == count) || (q[0] != 0 && q[0] != 3))
                {
                    return "bad last-substructure value in a transform";
                }
                IkeTransform tr;
                tr.type = q[4];
                tr.id = Get16(q + 6);
                uint32_t a = 8;
                while (a < tlen)
                {
                    if (tlen - a < 4)
                    {
                        return "truncated transform attribute";
                    }
                    uint16_t at = Get16(q + a);
                    if (at & 0x8000)
                    {
                        if ((at & 0x7fff) == ike::ATTR_KEY_LENGTH)
                        {
                            tr.keyLength = Get16(q + a + 2);
                        }
                        a += 4;
                    }
                    else
                    {
                        uint16_t alen = Get16(q + a + 2);
                        if (alen > tlen - a - 4)
                        {
                            return "truncated transform attribute";
                        }
                        a += 4 + alen;
                    }
                }
                prop.transforms.push_back(tr);
                t += tlen;
            }
            if (t != plen)
            {
                return "proposal length disagrees with its transforms";
            }
            proposals.push_back(std::move(prop));
            off += plen;
        }
        if (!last)
        {
            return "missing last proposal";
        }
        return "";
    }
    case IkePayloadType::KE:
        if (n < 4)
        {
            return "truncated";
        }
        group = Get16(b);
        data.assign(b + 4, b + n);
        return "";
    case IkePayloadType::IDI:
    case IkePayloadType::IDR:
    case IkePayloadType::AUTH:
        if (n < 4)
        {
            return "truncated";
        }
        subType = b[0];
        data.assign(b + 4, b + n);
        return "";
    case IkePayloadType::CERT:
    case IkePayloadType::CERTREQ:
        if (n < 1)
        {
            return "truncated";
        }
        subType = b[0];
        data.assign(b + 1, b + n);
        return "";
    case IkePayloadType::NOTIFY:
        if (n < 4 || n < 4u + b[1])
        {
            return "truncated";
        }
        protocolId = b[0];
        notifyType = Get16(b + 2);
        spi.assign(b + 4, b + 4 + b[1]);
        data.assign(b + 4 + b[1], b + n);
        return "";
    case IkePayloadType::DELETE: {
        if (n < 4)
        {
            return "truncated";
        }
        protocolId = b[0];
        spiSize = b[1];
        uint32_t count = Get16(b + 2);
        if (n != 4 + count * spiSize)
        {
            return "SPI count disagrees with the length";
        }
        deleteSpis.assign(b + 4, b + n);
        return "";
    }
    case IkePayloadType::TSI:
    case IkePayloadType::TSR: {
        if (n < 4)
        {
            return "truncated";
        }
        uint32_t count = b[0];
        uint32_t off = 4;
        for (uint32_t k = 0; k < count; ++k)
        {
            if (n - off < 4)
            {
                return "truncated selector";
            }
            const uint8_t* s = b + off;
            uint16_t slen = Get16(s + 2);
            if (s[0] != ike::TS_IPV4_ADDR_RANGE || slen != 16 || n - off < 16)
            {
                return "unsupported or truncated selector";
            }
            IkeTrafficSelector ts;
            ts.ipProtocol = s[1];
            ts.startPort = Get16(s + 4);
            ts.endPort = Get16(s + 6);
            ts.startAddress = Ipv4Address(Get32(s + 8));
            ts.endAddress = Ipv4Address(Get32(s + 12));
            selectors.push_back(ts);
            off += 16;
        }
        if (off != n)
        {
            return "data after the selectors";
        }
        return "";
    }
    default:
        data.assign(b, b + n);
        return "";
    }
}

void
IkePayload::Print(std::ostream& os) const
{
    os << ToString(type) << "(len=" << GetSerializedSize();
    switch (type)
    {
    case IkePayloadType::SA:
        for (const auto& p : proposals)
        {
            os << " prop#" << +p.number << " proto=" << +p.protocolId;
            if (!p.spi.empty())
            {
                os << " spi=" << Hex(p.spi);
            }
            for (const auto& t : p.transforms)
            {
                os << " " << +t.type << ":" << t.id;
                if (t.keyLength)
                {
                    os << "/" << *t.keyLength;
                }
            }
        }
        break;
    case IkePayloadType::KE:
        os << " group=" << group << " " << data.size() << "B";
        break;
    case IkePayloadType::NOTIFY:
        os << " type=" << notifyType;
        if (!spi.empty())
        {
            os << " spi=" << Hex(spi);
        }
        break;
    case IkePayloadType::TSI:
    case IkePayloadType::TSR:
        for (const auto& s : selectors)
        {
            os << " " << s.startAddress << "-" << s.endAddress;
        }
        break;
    default:
        if (!data.empty())
        {
            os << " " << data.size() << "B " << Hex(data);
        }
        break;
    }
    os << ")";
}

bool
IkePayload::operator==(const IkePayload& o) const
{
    return type == o.type && nextPayload == o.nextPayload && critical == o.critical &&
           proposals == o.proposals && group == o.group && subType == o.subType &&
           protocolId == o.protocolId && spiSize == o.spiSize && notifyType == o.notifyType &&
           spi == o.spi && deleteSpis == o.deleteSpis && selectors == o.selectors && data == o.data;
}

// ---------------------------------------------------------------------------------------
// IkeMessage

std::vector<uint8_t>
IkeMessage::SerializeChain(std::vector<IkePayload>& payloads)
{
    std::vector<uint8_t> out;
    for (size_t k = 0; k < payloads.size(); ++k)
    {
        payloads[k].nextPayload =
            k + 1 < payloads.size() ? static_cast<uint8_t>(payloads[k + 1].type) : 0;
        auto bytes = HeaderBytes(payloads[k]);
        out.insert(out.end(), bytes.begin(), bytes.end());
    }
    return out;
}

uint32_t
IkeMessage::SkPayloadSize(uint32_t innerSize)
{
    uint32_t padded = (innerSize + 1 + kBlockBytes - 1) / kBlockBytes * kBlockBytes;
    return ike::PAYLOAD_HEADER_SIZE + kIvBytes + padded + kIcvBytes;
}

namespace
{

/**
 * Seal an SK or SKF payload (RFC 7296 §3.14, RFC 7383 §2.5): pad \p plain to the block,
 * encrypt it after \p p's data so far (SKF: Fragment Number and Total Fragments) and the
 * IV, and append the ICV over the header and the payload up to it. Sets \p h's length.
 */
void
SealProtected(IkeHeader& h,
              IkePayload& p,
              std::vector<uint8_t> plain,
              const IkeSkKeys& keys,
              const uint8_t* iv)
{
    NS_ABORT_MSG_IF(iv == nullptr, "IkeMessage: SK needs keys and an IV");
    NS_ABORT_MSG_IF(keys.encryption.size() != 16 || keys.integrity.empty(),
                    "IkeMessage: SK keys must be AES-128 and HMAC-SHA1");
    uint8_t padLength = (kBlockBytes - (plain.size() + 1) % kBlockBytes) % kBlockBytes;
    plain.insert(plain.end(), padLength, 0);
    plain.push_back(padLength);
    IpsecCrypto::CbcEncrypt(EncryptionAlgorithm::AES_128_CBC,
                            keys.encryption.data(),
                            iv,
                            plain.data(),
                            plain.size());
    p.data.insert(p.data.end(), iv, iv + kIvBytes);
    p.data.insert(p.data.end(), plain.begin(), plain.end());
    p.data.insert(p.data.end(), kIcvBytes, 0);
    h.nextPayload = static_cast<uint8_t>(p.type);
    h.length = ike::HEADER_SIZE + p.GetSerializedSize();
    // ICV over the header and the payload up to the ICV.
    std::vector<uint8_t> covered = HeaderBytes(h);
    auto bytes = HeaderBytes(p);
    covered.insert(covered.end(), bytes.begin(), bytes.end() - kIcvBytes);
    uint8_t icv[kIcvBytes];
    IpsecCrypto::Hmac(AuthenticationAlgorithm::HMAC_SHA1_96,
                      keys.integrity.data(),
                      keys.integrity.size(),
                      covered.data(),
                      covered.size(),
                      icv);
    std::copy(icv, icv + kIcvBytes, p.data.end() - kIcvBytes);
}

/**
 * Verify the ICV of a received SK or SKF message and decrypt its payload.
 * \param raw the message as received
 * \param size its bytes
 * \param keys the sender's keys
 * \param body the payload's IV, ciphertext and ICV
 * \param plain the inner bytes, padding removed
 * \return empty on success, else what is wrong
 */
std::string
OpenProtected(const uint8_t* raw,
              uint32_t size,
              const IkeSkKeys& keys,
              const uint8_t* body,
              uint32_t bodySize,
              std::vector<uint8_t>& plain)
{
    if (bodySize < kIvBytes + kBlockBytes + kIcvBytes ||
        (bodySize - kIvBytes - kIcvBytes) % kBlockBytes != 0)
    {
        return "encrypted payload of " + std::to_string(bodySize) + " bytes";
    }
    if (size < kIcvBytes || keys.encryption.size() != 16 || keys.integrity.empty())
    {
        return "no keys";
    }
    uint8_t icv[kIcvBytes];
    IpsecCrypto::Hmac(AuthenticationAlgorithm::HMAC_SHA1_96,
                      keys.integrity.data(),
                      keys.integrity.size(),
                      raw,
                      size - kIcvBytes,
                      icv);
    if (std::memcmp(icv, raw + size - kIcvBytes, kIcvBytes) != 0)
    {
        return "integrity check failed";
    }
    plain.assign(body + kIvBytes, body + bodySize - kIcvBytes);
    IpsecCrypto::CbcDecrypt(EncryptionAlgorithm::AES_128_CBC,
                            keys.encryption.data(),
                            body,
                            plain.data(),
                            plain.size());
    uint8_t padLength = plain.back();
    if (padLength + 1u > plain.size())
    {
        return "bad pad length";
    }
    plain.resize(plain.size() - padLength - 1);
    return "";
}

/**
 * \param plain decrypted inner bytes
 * \param first the first inner payload's type
 * \return the inner payloads, or what is wrong (no SK or SKF may be nested)
 */
ParseResult<std::vector<IkePayload>>
ParseInner(const std::vector<uint8_t>& plain, uint8_t first)
{
    using Result = ParseResult<std::vector<IkePayload>>;
    auto inner = IkeMessage::ParseChain(plain.data(), plain.size(), first);
    if (!inner)
    {
        return Result::Fail("inner payloads: " + inner.GetError());
    }
    for (const auto& p : inner.GetValue())
    {
        if (p.type == IkePayloadType::SK || p.type == IkePayloadType::SKF)
        {
            return Result::Fail("nested " + ToString(p.type) + " payload");
        }
    }
    return inner;
}

/// The header and outer payloads of a message, SK built and sealed.
void
BuildOuter(const IkeMessage& m,
           const IkeSkKeys* keys,
           const uint8_t* iv,
           IkeHeader& h,
           std::vector<IkePayload>& outer)
{
    h = m.header;
    std::vector<IkePayload> inner = m.payloads;
    if (!m.encrypted)
    {
        auto chain = IkeMessage::SerializeChain(inner);
        h.nextPayload = inner.empty() ? 0 : static_cast<uint8_t>(inner.front().type);
        h.length = ike::HEADER_SIZE + chain.size();
        outer = std::move(inner);
        return;
    }
    NS_ABORT_MSG_IF(keys == nullptr, "IkeMessage: SK needs keys and an IV");
    IkePayload sk(IkePayloadType::SK);
    sk.nextPayload = inner.empty() ? 0 : static_cast<uint8_t>(inner.front().type);
    SealProtected(h, sk, IkeMessage::SerializeChain(inner), *keys, iv);
    outer.clear();
    outer.push_back(std::move(sk));
}

/// One IKE message of a header and payloads as a packet.
Ptr<Packet>
MakePacket(const IkeHeader& h, const std::vector<IkePayload>& outer)
{
    Ptr<Packet> p = Create<Packet>();
    for (auto it = outer.rbegin(); it != outer.rend(); ++it)
    {
        p->AddHeader(*it);
    }
    p->AddHeader(h);
    return p;
}

} // namespace

std::vector<uint8_t>
IkeMessage::ToBytes(const IkeSkKeys* keys, const uint8_t* iv) const
{
    IkeHeader h;
    std::vector<IkePayload> outer;
    BuildOuter(*this, keys, iv, h, outer);
    std::vector<uint8_t> out = HeaderBytes(h);
    for (const auto& p : outer)
    {
        auto b = HeaderBytes(p);
        out.insert(out.end(), b.begin(), b.end());
    }
    NS_ASSERT(out.size() == h.length);
    return out;
}

Ptr<Packet>
IkeMessage::ToPacket(const IkeSkKeys* keys, const uint8_t* iv) const
{
    IkeHeader h;
    std::vector<IkePayload> outer;
    BuildOuter(*this, keys, iv, h, outer);
    return MakePacket(h, outer);
}

std::vector<Ptr<Packet>>
IkeMessage::ToFragments(const IkeSkKeys& keys,
                        const std::function<void(uint8_t*)>& nextIv,
                        uint32_t maxBytes) const
{
    NS_ABORT_MSG_IF(!encrypted, "IkeMessage: only protected messages are fragmented");
    std::vector<IkePayload> inner = payloads;
    std::vector<uint8_t> plain = SerializeChain(inner);
    uint8_t iv[kIvBytes];
    if (ike::HEADER_SIZE + SkPayloadSize(plain.size()) <= maxBytes)
    {
        nextIv(iv);
        return {ToPacket(&keys, iv)};
    }
    // What one fragment carries: the rest of maxBytes after the header, the SKF fields, the
    // IV and the ICV, in whole blocks, less the pad-length byte.
    uint32_t fixed =
        ike::HEADER_SIZE + ike::PAYLOAD_HEADER_SIZE + ike::SKF_FIELDS_SIZE + kIvBytes + kIcvBytes;
    NS_ABORT_MSG_IF(maxBytes < fixed + kBlockBytes, "IkeMessage: fragments of " << maxBytes);
    uint32_t piece = (maxBytes - fixed) / kBlockBytes * kBlockBytes - 1;
    uint32_t total = (plain.size() + piece - 1) / piece;
    NS_ABORT_MSG_IF(total > 0xffff, "IkeMessage: more than 65535 fragments");
    std::vector<Ptr<Packet>> out;
    for (uint32_t k = 0; k < total; ++k)
    {
        IkeHeader h = header;
        IkePayload skf(IkePayloadType::SKF);
        skf.nextPayload = k == 0 && !inner.empty() ? static_cast<uint8_t>(inner.front().type) : 0;
        Put16(skf.data, k + 1);
        Put16(skf.data, total);
        auto from = plain.begin() + k * piece;
        auto to = plain.begin() + std::min<size_t>(plain.size(), (k + 1) * piece);
        nextIv(iv);
        SealProtected(h, skf, std::vector<uint8_t>(from, to), keys, iv);
        out.push_back(MakePacket(h, {skf}));
    }
    return out;
}

ParseResult<std::vector<IkePayload>>
IkeMessage::ParseChain(const uint8_t* data, uint32_t size, uint8_t first)
{
    using Result = ParseResult<std::vector<IkePayload>>;
    std::vector<IkePayload> out;
    Buffer buf;
    buf.AddAtStart(size);
    buf.Begin().Write(data, size);
    uint32_t off = 0;
    uint8_t next = first;
    while (next != 0)
    {
        if (off >= size)
        {
            return Result::Fail("payload " + ToString(static_cast<IkePayloadType>(next)) +
                                " announced but the message ends");
        }
        if (out.size() >= 64)
        {
            return Result::Fail("more than 64 payloads");
        }
        IkePayload p(static_cast<IkePayloadType>(next));
        Buffer::Iterator it = buf.Begin();
        it.Next(off);
        uint32_t used = p.Deserialize(it);
        if (!p.IsValid())
        {
            return Result::Fail(p.GetError());
        }
        off += used;
        next = p.nextPayload;
        bool sk = p.type == IkePayloadType::SK || p.type == IkePayloadType::SKF;
        out.push_back(std::move(p));
        if (sk)
        {
            break; // SK (SKF) is last; its next payload is the first inner one
        }
    }
    if (off != size)
    {
        return Result::Fail(std::to_string(size - off) + " bytes after the last payload");
    }
    return Result::Ok(std::move(out));
}

ParseResult<IkeMessage>
IkeMessage::Parse(const uint8_t* data, uint32_t size)
{
    using Result = ParseResult<IkeMessage>;
    IkeMessage m;
    if (size < ike::HEADER_SIZE)
    {
        return Result::Fail("truncated: " + std::to_string(size) + " bytes, no IKE header");
    }
    Buffer buf;
    buf.AddAtStart(ike::HEADER_SIZE);
    buf.Begin().Write(data, ike::HEADER_SIZE);
    m.header.Deserialize(buf.Begin());
    if ((m.header.version >> 4) != 2)
    {
        return Result::Fail("unsupported major version " + std::to_string(m.header.version >> 4));
    }
    if (m.header.length != size)
    {
        return Result::Fail("length field " + std::to_string(m.header.length) + " but " +
                            std::to_string(size) + " bytes received");
    }
    auto chain = ParseChain(data + ike::HEADER_SIZE, size - ike::HEADER_SIZE, m.header.nextPayload);
    if (!chain)
    {
        return Result::Fail(chain.GetError());
    }
    m.payloads = chain.TakeValue();
    m.encrypted = !m.payloads.empty() && (m.payloads.back().type == IkePayloadType::SK ||
                                          m.payloads.back().type == IkePayloadType::SKF);
    if (m.encrypted && m.payloads.back().type == IkePayloadType::SKF)
    {
        const IkePayload& f = m.payloads.back();
        if (m.payloads.size() != 1 || f.data.size() < ike::SKF_FIELDS_SIZE)
        {
            return Result::Fail("SKF payload not alone or without its fields");
        }
        m.fragmentNumber = (uint16_t(f.data[0]) << 8) | f.data[1];
        m.totalFragments = (uint16_t(f.data[2]) << 8) | f.data[3];
        if (m.fragmentNumber == 0 || m.totalFragments == 0 || m.fragmentNumber > m.totalFragments)
        {
            return Result::Fail("SKF fragment " + std::to_string(m.fragmentNumber) + " of " +
                                std::to_string(m.totalFragments));
        }
    }
    return Result::Ok(std::move(m));
}

ParseResult<IkeMessage>
IkeMessage::Parse(Ptr<const Packet> p)
{
    std::vector<uint8_t> bytes(p->GetSize());
    p->CopyData(bytes.data(), bytes.size());
    return Parse(bytes.data(), bytes.size());
}

std::string
IkeMessage::Decrypt(const uint8_t* raw, uint32_t size, const IkeSkKeys& keys)
{
    if (!encrypted || payloads.empty() || payloads.back().type != IkePayloadType::SK)
    {
        return "no SK payload";
    }
    const IkePayload& sk = payloads.back();
    std::vector<uint8_t> plain;
    std::string err = OpenProtected(raw, size, keys, sk.data.data(), sk.data.size(), plain);
    if (!err.empty())
    {
        return err;
    }
    auto inner = ParseInner(plain, sk.nextPayload);
    if (!inner)
    {
        return inner.GetError();
    }
    payloads.pop_back();
    for (auto& p : inner.TakeValue())
    {
        payloads.push_back(std::move(p));
    }
    return "";
}

std::string
IkeMessage::DecryptFragment(const uint8_t* raw,
                            uint32_t size,
                            const IkeSkKeys& keys,
                            std::vector<uint8_t>& piece) const
{
    if (fragmentNumber == 0 || payloads.empty() || payloads.back().type != IkePayloadType::SKF)
    {
        return "no SKF payload";
    }
    const IkePayload& f = payloads.back();
    return OpenProtected(raw,
                         size,
                         keys,
                         f.data.data() + ike::SKF_FIELDS_SIZE,
                         f.data.size() - ike::SKF_FIELDS_SIZE,
                         piece);
}

std::string
IkeMessage::Reassemble(const std::vector<uint8_t>& pieces, uint8_t firstPayload)
{
    auto inner = ParseInner(pieces, firstPayload);
    if (!inner)
    {
        return inner.GetError();
    }
    payloads = inner.TakeValue();
    encrypted = true;
    fragmentNumber = 0;
    totalFragments = 0;
    return "";
}

const IkePayload*
IkeMessage::Find(IkePayloadType type) const
{
    for (const auto& p : payloads)
    {
        if (p.type == type)
        {
            return &p;
        }
    }
    return nullptr;
}

const IkePayload*
IkeMessage::FindNotify(uint16_t notifyType) const
{
    for (const auto& p : payloads)
    {
        if (p.type == IkePayloadType::NOTIFY && p.notifyType == notifyType)
        {
            return &p;
        }
    }
    return nullptr;
}

const IkePayload*
IkeMessage::FindErrorNotify() const
{
    for (const auto& p : payloads)
    {
        if (p.type == IkePayloadType::NOTIFY && p.notifyType < 16384)
        {
            return &p;
        }
    }
    return nullptr;
}

// ---------------------------------------------------------------------------------------
// PRF

std::vector<uint8_t>
IkePrf(const std::vector<uint8_t>& key, const std::vector<uint8_t>& data)
{
    return ikev2::Prf(ikev2::PrfAlgorithm::HMAC_SHA1, key, data);
}

std::vector<uint8_t>
IkePrfPlus(const std::vector<uint8_t>& key, const std::vector<uint8_t>& seed, uint32_t size)
{
    return ikev2::PrfPlus(ikev2::PrfAlgorithm::HMAC_SHA1, key, seed, size);
}

std::vector<uint8_t>
ike::Be32(uint32_t x)
{
    return {uint8_t(x >> 24), uint8_t(x >> 16), uint8_t(x >> 8), uint8_t(x)};
}

std::string
ike::NotifyReason(uint16_t n)
{
    switch (n)
    {
    case N_INVALID_SYNTAX:
        return "invalid-syntax";
    case N_NO_PROPOSAL_CHOSEN:
        return "no-proposal-chosen";
    case N_INVALID_KE_PAYLOAD:
        return "invalid-ke-payload";
    case N_AUTHENTICATION_FAILED:
        return "authentication-failed";
    case N_TS_UNACCEPTABLE:
        return "ts-unacceptable";
    case N_TEMPORARY_FAILURE:
        return "temporary-failure";
    case N_CHILD_SA_NOT_FOUND:
        return "child-sa-not-found";
    default:
        return "notify-" + std::to_string(n);
    }
}

} // namespace ns3
