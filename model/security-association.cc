/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "security-association.h"

#include "ipsec-crypto.h"

#include <algorithm>
#include <iomanip>
#include <limits>
#include <sstream>

namespace ns3
{

std::optional<uint32_t>
SecurityAssociation::NextSequenceNumber()
{
    if (m_exhausted)
    {
        return std::nullopt;
    }
    ++m_lastSeqOut;
    if (m_lastSeqOut == std::numeric_limits<uint32_t>::max())
    {
        m_exhausted = true; // 2^32 - 1 is the last number this SA may send
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
    if (lifetime.hardBytes != 0 && m_bytes >= lifetime.hardBytes)
    {
        m_state = SaState::HARD_EXPIRED;
    }
    else if (lifetime.softBytes != 0 && m_bytes >= lifetime.softBytes && m_state == SaState::MATURE)
    {
        m_state = SaState::SOFT_EXPIRED;
    }
}

void
SecurityAssociation::UpdateState(Time now)
{
    Time age = now - m_created;
    if (!lifetime.hardTime.IsZero() && age >= lifetime.hardTime)
    {
        m_state = SaState::HARD_EXPIRED;
    }
    else if (!lifetime.softTime.IsZero() && age >= lifetime.softTime && m_state == SaState::MATURE)
    {
        m_state = SaState::SOFT_EXPIRED;
    }
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
