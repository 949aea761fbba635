/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "security-association.h"

#include "ipsec-crypto.h"

#include "ns3/abort.h"
#include "ns3/log.h"

#include <algorithm>
#include <iomanip>
#include <limits>
#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("SecurityAssociation");

std::string
SecurityAssociation::CheckIntegrity(IpsecProtocol protocol,
                                    EncryptionAlgorithm encryption,
                                    AuthenticationAlgorithm authentication)
{
    if (protocol == IpsecProtocol::ESP && !IpsecCrypto::IsAead(encryption) &&
        authentication == AuthenticationAlgorithm::NONE)
    {
        return std::string("esp SA without integrity: ") + GetProperties(encryption).setkeyName +
               " is not an AEAD cipher and the authentication algorithm is null or missing "
               "(add -A hmac-sha1 or hmac-sha256, or use aes-gcm-16 or chacha20-poly1305; "
               "without an ICV there is no anti-replay, RFC 4303 §3.2)";
    }
    if (protocol == IpsecProtocol::AH && authentication == AuthenticationAlgorithm::NONE)
    {
        return "ah SA with null authentication: AH is an integrity check and needs hmac-sha1 "
               "or hmac-sha256 (RFC 4302 §2.6)";
    }
    return "";
}

std::optional<uint32_t>
SecurityAssociation::NextSequenceNumber()
{
    if (m_exhausted)
    {
        // The counter would cycle: the SA is used up (RFC 4303 §3.3.3).
        Advance(SaState::HARD_EXPIRED);
        return std::nullopt;
    }
    ++m_lastSeqOut;
    if (m_lastSeqOut == std::numeric_limits<uint32_t>::max())
    {
        m_exhausted = true; // 2^32 - 1 is the last number this SA may send
    }
    if (m_lastSeqOut >= SOFT_SEQUENCE_LIMIT)
    {
        Advance(SaState::SOFT_EXPIRED);
    }
    return m_lastSeqOut;
}

uint32_t
SecurityAssociation::GetLastSequenceNumber() const
{
    return m_lastSeqOut;
}

ReplayCheck
SecurityAssociation::CheckReplay(uint32_t seq) const
{
    if (replayWindow == 0)
    {
        return ReplayCheck::OK;
    }
    if (seq == 0)
    {
        return ReplayCheck::TOO_OLD; // 0 is never sent (RFC 4303 §3.3.3)
    }
    if (seq > m_highestIn)
    {
        return ReplayCheck::OK;
    }
    uint32_t offset = m_highestIn - seq;
    if (offset >= replayWindow)
    {
        return ReplayCheck::TOO_OLD;
    }
    if (m_window.empty())
    {
        return ReplayCheck::OK;
    }
    bool seen = (m_window[offset / 64] >> (offset % 64)) & 1u;
    return seen ? ReplayCheck::REPLAYED : ReplayCheck::OK;
}

void
SecurityAssociation::AcceptSequence(uint32_t seq)
{
    if (replayWindow == 0)
    {
        return;
    }
    size_t words = (replayWindow + 63) / 64;
    if (m_window.size() != words)
    {
        m_window.assign(words, 0);
    }
    if (seq > m_highestIn)
    {
        // Shift the window left by the advance: bit i moves to bit i + shift.
        uint64_t shift = seq - m_highestIn;
        if (shift >= replayWindow)
        {
            std::fill(m_window.begin(), m_window.end(), 0);
        }
        else
        {
            size_t wordShift = shift / 64;
            unsigned bitShift = shift % 64;
            for (size_t i = words; i-- > 0;)
            {
                uint64_t v = 0;
                if (i >= wordShift)
                {
                    v = m_window[i - wordShift] << bitShift;
                    if (bitShift != 0 && i > wordShift)
                    {
                        v |= m_window[i - wordShift - 1] >> (64 - bitShift);
                    }
                }
                m_window[i] = v;
            }
        }
        m_highestIn = seq;
        m_window[0] |= 1u;
        return;
    }
    uint32_t offset = m_highestIn - seq;
    if (offset < replayWindow)
    {
        m_window[offset / 64] |= uint64_t(1) << (offset % 64);
    }
}

void
SecurityAssociation::CountBytes(uint64_t bytes)
{
    m_bytes += bytes;
    ++m_packets;
    // Soft first: a limit that skips the soft state still reports it, so whoever re-keys on
    // soft expiry hears of it.
    if (lifetime.softBytes != 0 && m_bytes >= lifetime.softBytes)
    {
        Advance(SaState::SOFT_EXPIRED);
    }
    if (lifetime.hardBytes != 0 && m_bytes >= lifetime.hardBytes)
    {
        Advance(SaState::HARD_EXPIRED);
    }
}

void
SecurityAssociation::UpdateState(Time now)
{
    Time age = now - m_created;
    if (!lifetime.softTime.IsZero() && age >= lifetime.softTime)
    {
        Advance(SaState::SOFT_EXPIRED);
    }
    if (!lifetime.hardTime.IsZero() && age >= lifetime.hardTime)
    {
        Advance(SaState::HARD_EXPIRED);
    }
}

void
SecurityAssociation::Advance(SaState state)
{
    if (state <= m_state)
    {
        return;
    }
    NS_LOG_FUNCTION(this << static_cast<int>(state));
    m_state = state;
    if (m_notifier)
    {
        m_notifier(*this);
    }
}

void
SecurityAssociation::SetExpiryNotifier(ExpiryNotifier notifier)
{
    m_notifier = std::move(notifier);
}

SaState
SecurityAssociation::GetState() const
{
    return m_state;
}

void
SecurityAssociation::SetCreationTime(Time now)
{
    m_created = now;
}

Time
SecurityAssociation::GetCreationTime() const
{
    return m_created;
}

uint64_t
SecurityAssociation::GetBytes() const
{
    return m_bytes;
}

uint64_t
SecurityAssociation::GetPackets() const
{
    return m_packets;
}

IpsecCryptoContext&
SecurityAssociation::GetCryptoContext() const
{
    if (!m_crypto.context)
    {
        m_crypto.context = std::make_unique<IpsecCryptoContext>();
    }
    return *m_crypto.context;
}

void
SecurityAssociation::ComputeIcv(CryptoMode mode,
                                const std::vector<uint8_t>& key,
                                uint8_t domain,
                                const uint8_t* data,
                                uint32_t size,
                                uint8_t* icv,
                                uint32_t icvSize) const
{
    if (icvSize == 0)
    {
        return;
    }
    if (mode == CryptoMode::MODELED)
    {
        GetCryptoContext().ModeledTag(key.data(), key.size(), domain, data, size, icv, icvSize);
    }
    else
    {
        GetCryptoContext().Hmac(authentication, key.data(), key.size(), data, size, icv);
    }
}

void
SecurityAssociation::CheckKeySize(const char* protocol,
                                  const std::string& algorithm,
                                  uint32_t needed,
                                  const std::vector<uint8_t>& key) const
{
    NS_ABORT_MSG_IF(key.size() != needed,
                    protocol << " SA 0x" << std::hex << spi << std::dec << ": " << algorithm
                             << " needs a " << needed << "-byte key, got " << key.size());
}

SecurityAssociation::CryptoContextOwner::CryptoContextOwner() = default;

SecurityAssociation::CryptoContextOwner::~CryptoContextOwner() = default;

SecurityAssociation::CryptoContextOwner::CryptoContextOwner(const CryptoContextOwner&)
{
}

SecurityAssociation::CryptoContextOwner&
SecurityAssociation::CryptoContextOwner::operator=(const CryptoContextOwner&)
{
    context.reset();
    return *this;
}

std::string
SecurityAssociation::ToString() const
{
    std::ostringstream os;
    os << source << " " << destination << " " << ns3::ToString(protocol) << " 0x" << std::hex << spi
       << std::dec << " -m " << ns3::ToString(mode);
    if (protocol == IpsecProtocol::ESP)
    {
        os << " -E " << ns3::ToString(encryption);
    }
    if (authentication != AuthenticationAlgorithm::NONE)
    {
        os << " -A " << ns3::ToString(authentication);
    }
    return os.str();
}

} // namespace ns3
