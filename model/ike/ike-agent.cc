/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ike-agent.h"

#include "ns3/abort.h"
#include "ns3/address-watcher.h"
#include "ns3/boolean.h"
#include "ns3/crypto-cost-model.h"
#include "ns3/crypto-profile.h"
#include "ns3/inet-socket-address.h"
#include "ns3/ipsec-crypto.h"
#include "ns3/ipsec-layer.h"
#include "ns3/ipv4-header.h"
#include "ns3/ipv4-packet-info-tag.h"
#include "ns3/ipv4-route.h"
#include "ns3/ipv4-routing-protocol.h"
#include "ns3/ipv4.h"
#include "ns3/log.h"
#include "ns3/node-addresses.h"
#include "ns3/node.h"
#include "ns3/random-variable-stream.h"
#include "ns3/security-association-database.h"
#include "ns3/security-policy-database.h"
#include "ns3/simulator.h"
#include "ns3/socket.h"
#include "ns3/string.h"
#include "ns3/trace-source-accessor.h"
#include "ns3/udp-socket-factory.h"
#include "ns3/uinteger.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("IkeAgent");

NS_OBJECT_ENSURE_REGISTERED(IkeAgent);

// ---------------------------------------------------------------------------------------
// Attributes

TypeId
IkeAgent::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::IkeAgent")
            .SetParent<Application>()
            .SetGroupName("Presec")
            .AddConstructor<IkeAgent>()
            .AddAttribute(
                "Authentication",
                "How the peers authenticate: psk, rsa-cert or ecdsa-cert.",
                StringValue("psk"),
                MakeStringAccessor(&IkeAgent::SetAuthentication, &IkeAgent::GetAuthentication),
                MakeStringChecker())
            .AddAttribute("DhGroup",
                          "Diffie-Hellman group of the IKE SA and of PFS: x25519 (group 31) "
                          "or modp2048 (group 14).",
                          StringValue("x25519"),
                          MakeStringAccessor(&IkeAgent::SetDhGroup, &IkeAgent::GetDhGroup),
                          MakeStringChecker())
            .AddAttribute("PreSharedKey",
                          "The pre-shared key (Authentication psk); both ends must agree.",
                          StringValue("presec-pre-shared-key"),
                          MakeStringAccessor(&IkeAgent::m_psk),
                          MakeStringChecker())
            .AddAttribute(
                "EncryptionAlgorithm",
                "Cipher of the child ESP SAs, as setkey names it: aes-gcm-16, "
                "aes-cbc, 3des-cbc, chacha20-poly1305, null.",
                StringValue("aes-gcm-16"),
                MakeStringAccessor(&IkeAgent::SetEncryptionName, &IkeAgent::GetEncryptionName),
                MakeStringChecker())
            .AddAttribute("EncryptionKeyLength",
                          "AES key length in bits (128 or 256) of the child ESP SAs.",
                          UintegerValue(128),
                          MakeUintegerAccessor(&IkeAgent::m_encKeyBits),
                          MakeUintegerChecker<uint32_t>(128, 256))
            .AddAttribute(
                "IntegrityAlgorithm",
                "Integrity algorithm of the child SAs as setkey names it: "
                "hmac-sha1, hmac-sha256, null (for AEAD ciphers; AH needs one).",
                StringValue("null"),
                MakeStringAccessor(&IkeAgent::SetIntegrityName, &IkeAgent::GetIntegrityName),
                MakeStringChecker())
            .AddAttribute("ChildSoftLifetime",
                          "Soft lifetime of the child SAs this agent negotiates: the re-key "
                          "starts then (0: never).",
                          TimeValue(Seconds(3240)),
                          MakeTimeAccessor(&IkeAgent::m_softLifetime),
                          MakeTimeChecker(Seconds(0)))
            .AddAttribute("ChildHardLifetime",
                          "Hard lifetime of the child SAs (0: unlimited).",
                          TimeValue(Seconds(3600)),
                          MakeTimeAccessor(&IkeAgent::m_hardLifetime),
                          MakeTimeChecker(Seconds(0)))
            .AddAttribute("ChildSoftLifetimeBytes",
                          "Soft byte lifetime of the child SAs (setkey -bs): the re-key starts "
                          "when an SA has protected or verified this many payload bytes "
                          "(0: never).",
                          UintegerValue(0),
                          MakeUintegerAccessor(&IkeAgent::m_softBytes),
                          MakeUintegerChecker<uint64_t>())
            .AddAttribute("ChildHardLifetimeBytes",
                          "Hard byte lifetime of the child SAs (setkey -bh; 0: unlimited).",
                          UintegerValue(0),
                          MakeUintegerAccessor(&IkeAgent::m_hardBytes),
                          MakeUintegerChecker<uint64_t>())
            .AddAttribute("RekeyMargin",
                          "Random spread of the re-key start: the soft lifetime of the SAs "
                          "this agent negotiates is shortened by a uniform draw from "
                          "[0, RekeyMargin] (as strongSwan's rand_time).",
                          TimeValue(Seconds(0)),
                          MakeTimeAccessor(&IkeAgent::m_rekeyMargin),
                          MakeTimeChecker(Seconds(0)))
            .AddAttribute("Pfs",
                          "Perfect forward secrecy: CREATE_CHILD_SA carries a fresh DH exchange.",
                          BooleanValue(false),
                          MakeBooleanAccessor(&IkeAgent::m_pfs),
                          MakeBooleanChecker())
            .AddAttribute("RetransmitTimeout",
                          "First retransmission timeout of a request; doubles each time.",
                          TimeValue(Seconds(1)),
                          MakeTimeAccessor(&IkeAgent::m_rto),
                          MakeTimeChecker(MilliSeconds(1)))
            .AddAttribute("MaxRetransmits",
                          "Retransmissions of a request before the IKE SA fails (timeout).",
                          UintegerValue(4),
                          MakeUintegerAccessor(&IkeAgent::m_maxRetransmits),
                          MakeUintegerChecker<uint32_t>(0, 32))
            .AddAttribute("InitErrorWait",
                          "How long an initiator keeps waiting for a genuine IKE_SA_INIT "
                          "response after one with an error notify (unauthenticated, RFC 7296 "
                          "§2.21.1), retransmitting meanwhile, before it fails with that error.",
                          TimeValue(Seconds(2)),
                          MakeTimeAccessor(&IkeAgent::m_initErrorWait),
                          MakeTimeChecker(Seconds(0)))
            .AddAttribute("AutoInitiate",
                          "Negotiate when the IpsecLayer reports an Acquire (outbound packet "
                          "under a require/unique policy without SA), as Linux's acquire.",
                          BooleanValue(false),
                          MakeBooleanAccessor(&IkeAgent::m_autoInitiate),
                          MakeBooleanChecker())
            .AddAttribute("CertificateSize",
                          "Bytes of the (modeled) certificate sent in CERT; 0 = 1000 for "
                          "rsa-cert (RSA-2048), 560 for ecdsa-cert (P-256).",
                          UintegerValue(0),
                          MakeUintegerAccessor(&IkeAgent::m_certSize),
                          MakeUintegerChecker<uint32_t>(0, 4096))
            .AddAttribute("NonceSize",
                          "Bytes of Ni / Nr (RFC 7296: 16-256, at least half the PRF key).",
                          UintegerValue(32),
                          MakeUintegerAccessor(&IkeAgent::m_nonceSize),
                          MakeUintegerChecker<uint32_t>(16, 256))
            .AddAttribute("ResponderOutboundDelay",
                          "The responder of a child SA starts sending on its new outbound SA "
                          "when the first packet arrives on the new inbound SA, or after this "
                          "delay (0: at once). Avoids losing packets the initiator cannot "
                          "decrypt yet.",
                          TimeValue(Seconds(1)),
                          MakeTimeAccessor(&IkeAgent::m_responderOutboundDelay),
                          MakeTimeChecker(Seconds(0)))
            .AddAttribute("HalfOpenTimeout",
                          "A responder forgets an IKE SA without IKE_AUTH after this long.",
                          TimeValue(Seconds(30)),
                          MakeTimeAccessor(&IkeAgent::m_halfOpenTimeout),
                          MakeTimeChecker(MilliSeconds(1)))
            .AddAttribute("ReplayWindow",
                          "Anti-replay window (packets) of the installed SAs.",
                          UintegerValue(64),
                          MakeUintegerAccessor(&IkeAgent::m_replayWindow),
                          MakeUintegerChecker<uint32_t>())
            .AddAttribute("Mobike",
                          "MOBIKE (RFC 4555): announce MOBIKE_SUPPORTED in IKE_AUTH; an IKE SA "
                          "both ends announced it on moves to new addresses with an "
                          "UPDATE_SA_ADDRESSES exchange, its child SAs with it (SPIs kept). "
                          "Without it an IKE SA whose address went away is deleted locally and "
                          "a new one negotiated from the new address.",
                          BooleanValue(false),
                          MakeBooleanAccessor(&IkeAgent::m_mobike),
                          MakeBooleanChecker())
            .AddAttribute("MobikeWait",
                          "MOBIKE: how long an IKE SA whose address went away waits for the "
                          "update (a new address; the responder: the initiator's "
                          "UPDATE_SA_ADDRESSES) before it is deleted locally.",
                          TimeValue(Seconds(30)),
                          MakeTimeAccessor(&IkeAgent::m_mobikeWait),
                          MakeTimeChecker())
            .AddAttribute("Fragmentation",
                          "IKE message fragmentation (RFC 7383): announce "
                          "IKEV2_FRAGMENTATION_SUPPORTED in IKE_SA_INIT; on an IKE SA both ends "
                          "announced it on, a protected message larger than FragmentSize allows "
                          "is sent as encrypted fragments (SKF) instead of one IP-fragmented "
                          "datagram (strongSwan's fragmentation=yes).",
                          BooleanValue(false),
                          MakeBooleanAccessor(&IkeAgent::m_fragmentation),
                          MakeBooleanChecker())
            .AddAttribute("FragmentSize",
                          "Fragmentation: the largest IP datagram (IPv4 and UDP headers "
                          "included) of a fragment (strongSwan's fragment_size; RFC 7383 §2.5.1 "
                          "asks at least 576 for IPv4).",
                          UintegerValue(1280),
                          MakeUintegerAccessor(&IkeAgent::m_fragmentSize),
                          MakeUintegerChecker<uint32_t>(576, 65535))
            .AddAttribute("DpdDelay",
                          "Liveness checks (RFC 7296 §2.4; strongSwan's dpd_delay): an IKE SA "
                          "that has heard nothing from its peer for this long (no authenticated "
                          "IKE message, no packet on its child SAs' inbound SAs) sends an empty "
                          "INFORMATIONAL request; when its retransmissions are exhausted the IKE "
                          "SA and its child SAs are closed (Failed: dead-peer). 0: no checks.",
                          TimeValue(Seconds(0)),
                          MakeTimeAccessor(&IkeAgent::m_dpdDelay),
                          MakeTimeChecker(Seconds(0)))
            .AddTraceSource("MessageSent",
                            "An IKE message left (exchange type, IKE bytes, peer, response).",
                            MakeTraceSourceAccessor(&IkeAgent::m_sentTrace),
                            "ns3::IkeAgent::MessageTracedCallback")
            .AddTraceSource("MessageReceived",
                            "A well-formed IKE message arrived (exchange type, IKE bytes, "
                            "peer, response).",
                            MakeTraceSourceAccessor(&IkeAgent::m_receivedTrace),
                            "ns3::IkeAgent::MessageTracedCallback")
            .AddTraceSource("SaEstablished",
                            "A child SA pair was installed (peer, SPI in, SPI out, setup time).",
                            MakeTraceSourceAccessor(&IkeAgent::m_establishedTrace),
                            "ns3::IkeAgent::EstablishedTracedCallback")
            .AddTraceSource("Rekeyed",
                            "A child SA pair was replaced (peer, old SPI in, new SPI in, new "
                            "SPI out).",
                            MakeTraceSourceAccessor(&IkeAgent::m_rekeyedTrace),
                            "ns3::IkeAgent::RekeyedTracedCallback")
            .AddTraceSource("Failed",
                            "A negotiation failed (peer, reason).",
                            MakeTraceSourceAccessor(&IkeAgent::m_failedTrace),
                            "ns3::IkeAgent::FailedTracedCallback")
            .AddTraceSource("Drop",
                            "A received datagram was discarded (packet, sender, reason).",
                            MakeTraceSourceAccessor(&IkeAgent::m_dropTrace),
                            "ns3::IkeAgent::DropTracedCallback");
    return tid;
}

void
IkeAgent::SetAuthentication(std::string s)
{
    if (s == "psk")
    {
        m_auth = AuthMethod::PSK;
    }
    else if (s == "rsa-cert")
    {
        m_auth = AuthMethod::RSA_CERT;
    }
    else if (s == "ecdsa-cert")
    {
        m_auth = AuthMethod::ECDSA_CERT;
    }
    else
    {
        NS_ABORT_MSG("IkeAgent::Authentication: unknown method '" << s << "'");
    }
}

std::string
IkeAgent::GetAuthentication() const
{
    return ToString(m_auth);
}

void
IkeAgent::SetDhGroup(std::string s)
{
    NS_ABORT_MSG_IF(s != "x25519" && s != "modp2048",
                    "IkeAgent::DhGroup: unknown group '" << s << "'");
    m_dh = s == "x25519" ? DhGroup::X25519 : DhGroup::MODP2048;
}

std::string
IkeAgent::GetDhGroup() const
{
    return m_dh == DhGroup::X25519 ? "x25519" : "modp2048";
}

void
IkeAgent::SetEncryptionName(std::string s)
{
    NS_ABORT_MSG_IF(!EncryptionFromSetkeyName(s, 16),
                    "IkeAgent::EncryptionAlgorithm: unknown '" << s << "'");
    m_encName = s;
}

std::string
IkeAgent::GetEncryptionName() const
{
    return m_encName;
}

void
IkeAgent::SetIntegrityName(std::string s)
{
    NS_ABORT_MSG_IF(!AuthenticationFromSetkeyName(s),
                    "IkeAgent::IntegrityAlgorithm: unknown '" << s << "'");
    m_integName = s;
}

std::string
IkeAgent::GetIntegrityName() const
{
    return m_integName;
}

IkeAgent::IkeAgent()
    : m_encName("aes-gcm-16"),
      m_integName("null"),
      m_rng(CreateObject<UniformRandomVariable>())
{
    NS_LOG_FUNCTION(this);
    m_protocol.SetUser(&m_protocolUser);
}

IkeAgent::~IkeAgent()
{
    NS_LOG_FUNCTION(this);
}

int64_t
IkeAgent::AssignStreams(int64_t stream)
{
    m_rng->SetStream(stream);
    return 1;
}

void
IkeAgent::DoDispose()
{
    NS_LOG_FUNCTION(this);
    Disconnect(); // the SAD outlives the agent and reports its removals while disposed
    m_stopped = true;
    m_protocol.Dispose();
    m_socket = nullptr;
    m_layer = nullptr;
    m_watcher = nullptr;
    Application::DoDispose();
}

// ---------------------------------------------------------------------------------------
// Start, stop

bool
IkeAgent::EnsureRunning()
{
    if (m_running)
    {
        return true;
    }
    if (m_stopped || !GetNode())
    {
        return false;
    }
    m_layer = GetNode()->GetObject<IpsecLayer>();
    if (!m_layer)
    {
        NS_LOG_WARN("IkeAgent on node " << GetNode()->GetId() << " without IpsecLayer");
        return false;
    }
    IkeProtocol::Config c;
    c.auth = m_auth;
    c.dhGroup = m_dh == DhGroup::X25519 ? ike::DH_CURVE25519 : ike::DH_MODP_2048;
    c.psk = m_psk;
    c.enc = *EncryptionFromSetkeyName(m_encName, m_encKeyBits == 256 ? 32 : 16);
    if (m_encName == "aes-gcm-16")
    {
        c.enc = m_encKeyBits == 256 ? EncryptionAlgorithm::AES_256_GCM_16
                                    : EncryptionAlgorithm::AES_128_GCM_16;
    }
    c.integ = *AuthenticationFromSetkeyName(m_integName);
    c.life.soft = m_softLifetime;
    c.life.hard = m_hardLifetime;
    c.life.softBytes = m_softBytes;
    c.life.hardBytes = m_hardBytes;
    c.life.rekeyMargin = m_rekeyMargin;
    c.life.replayWindow = m_replayWindow;
    c.life.responderOutboundDelay = m_responderOutboundDelay;
    c.pfs = m_pfs;
    c.rto = m_rto;
    c.maxRetransmits = m_maxRetransmits;
    c.initErrorWait = m_initErrorWait;
    c.autoInitiate = m_autoInitiate;
    c.certSize = m_certSize;
    c.nonceSize = m_nonceSize;
    c.halfOpenTimeout = m_halfOpenTimeout;
    c.mobike = m_mobike;
    c.mobikeWait = m_mobikeWait;
    c.dpdDelay = m_dpdDelay;
    c.fragmentation = m_fragmentation;
    c.fragmentSize = m_fragmentSize;

    m_socket = Socket::CreateSocket(GetNode(), UdpSocketFactory::GetTypeId());
    NS_ABORT_MSG_IF(m_socket->Bind(InetSocketAddress(Ipv4Address::GetAny(), ike::PORT)) != 0,
                    "IkeAgent: cannot bind UDP port 500 on node " << GetNode()->GetId());
    m_socket->SetRecvPktInfo(true);
    m_socket->SetRecvCallback(MakeCallback(&IkeAgent::HandleRead, this));

    m_layer->SetKeyManagementSapUser(m_protocol.Start(GetNode(),
                                                      m_layer->GetKeyManagementSapProvider(),
                                                      GetNode()->GetObject<CryptoCostModel>(),
                                                      m_rng,
                                                      c));
    // Measurement only (hand-over times): the first protected packet on a new address.
    m_layer->TraceConnectWithoutContext("ProtectedRx",
                                        MakeCallback(&IkeAgent::OnProtectedRx, this));
    m_layer->TraceConnectWithoutContext("ProtectedTx",
                                        MakeCallback(&IkeAgent::OnProtectedTx, this));
    m_running = true;
    WatchAddresses();
    return true;
}

void
IkeAgent::StartApplication()
{
    NS_LOG_FUNCTION(this);
    EnsureRunning();
}

void
IkeAgent::StopApplication()
{
    NS_LOG_FUNCTION(this);
    m_stopped = true;
    m_protocol.Stop();
    Disconnect();
}

void
IkeAgent::Disconnect()
{
    if (!m_running)
    {
        return;
    }
    m_running = false;
    m_socket->SetRecvCallback(MakeNullCallback<void, Ptr<Socket>>());
    m_socket->Close();
    m_layer->SetKeyManagementSapUser(nullptr);
    m_layer->TraceDisconnectWithoutContext("ProtectedRx",
                                           MakeCallback(&IkeAgent::OnProtectedRx, this));
    m_layer->TraceDisconnectWithoutContext("ProtectedTx",
                                           MakeCallback(&IkeAgent::OnProtectedTx, this));
    if (m_watcher)
    {
        m_watcher->SetChangeCallback(Callback<void>());
    }
}

void
IkeAgent::WatchAddresses()
{
    if (!m_watcher)
    {
        m_watcher = CreateObject<AddressWatcher>();
        if (!AddressWatcher::Install(GetNode(), m_watcher))
        {
            NS_LOG_WARN("node " << GetNode()->GetId()
                                << ": routing is not an Ipv4ListRouting; IKE SAs do not follow "
                                   "address changes");
            m_watcher = nullptr;
        }
    }
    if (m_watcher)
    {
        // Ipv4 calls the watcher in the middle of its own update: act once it is over.
        m_watcher->SetChangeCallback(Callback<void>(
            [this]() { Simulator::ScheduleNow(&IkeAgent::OnAddressesChanged, this); }));
    }
}

void
IkeAgent::OnAddressesChanged()
{
    if (m_running)
    {
        m_protocol.AddressesChanged(NodeAddresses::Collect(GetNode()));
    }
}

void
IkeAgent::OnProtectedTx(Ptr<const Packet>, const Ipv4Header& h)
{
    m_protocol.CloseHandover(h.GetSource(), h.GetDestination());
}

void
IkeAgent::OnProtectedRx(Ptr<const Packet>, const Ipv4Header& h)
{
    m_protocol.CloseHandover(h.GetDestination(), h.GetSource());
}

// ---------------------------------------------------------------------------------------
// The socket

void
IkeAgent::HandleRead(Ptr<Socket> socket)
{
    Address from;
    while (Ptr<Packet> p = socket->RecvFrom(from))
    {
        if (!InetSocketAddress::IsMatchingType(from))
        {
            continue;
        }
        Ipv4Address src = InetSocketAddress::ConvertFrom(from).GetIpv4();
        Ipv4PacketInfoTag info;
        Ipv4Address local = p->RemovePacketTag(info) ? info.GetAddress() : Ipv4Address::GetAny();
        if (local == Ipv4Address::GetAny() || local.IsBroadcast() || local.IsMulticast())
        {
            local = NodeAddresses::SourceFor(GetNode(), src);
        }
        m_protocol.Receive(p, src, local);
    }
}

void
IkeAgent::DoSend(Ptr<Packet> p, Ipv4Address peer)
{
    m_socket->SendTo(p, 0, InetSocketAddress(peer, ike::PORT));
}

// ---------------------------------------------------------------------------------------
// The API: the engine's

void
IkeAgent::Initiate(Ipv4Address peer, IpsecProtocol proto, IpsecMode mode, DoneCallback done)
{
    NS_LOG_FUNCTION(this << peer << ToString(proto) << ToString(mode));
    EnsureRunning(); // also before StartApplication (a scenario may ask at time 0)
    m_protocol.Initiate(peer, proto, mode, done);
}

void
IkeAgent::DeleteChildSas(Ipv4Address peer, DoneCallback done)
{
    NS_LOG_FUNCTION(this << peer);
    m_protocol.DeleteChildSas(peer, done);
}

void
IkeAgent::DeleteIkeSa(Ipv4Address peer, DoneCallback done)
{
    NS_LOG_FUNCTION(this << peer);
    m_protocol.DeleteIkeSa(peer, done);
}

bool
IkeAgent::FollowPeer(Ipv4Address from, Ipv4Address to, DoneCallback done)
{
    NS_LOG_FUNCTION(this << from << to);
    return m_protocol.FollowPeer(from, to, done);
}

bool
IkeAgent::IsMobike(Ipv4Address peer) const
{
    return m_protocol.IsMobike(peer);
}

bool
IkeAgent::HasIkeSa(Ipv4Address peer) const
{
    return m_protocol.HasIkeSa(peer);
}

uint32_t
IkeAgent::GetNChildSas() const
{
    return m_protocol.GetNChildSas();
}

const IkeAgent::Stats&
IkeAgent::GetStats() const
{
    return m_protocol.GetStats();
}

void
IkeAgent::SetPassive(Ipv4Address peer, bool passive)
{
    m_protocol.SetPassive(peer, passive);
}

bool
IkeAgent::IsPassive(Ipv4Address peer) const
{
    return m_protocol.IsPassive(peer);
}

void
IkeAgent::SetChildInstalledCallback(ChildInstalledCallback cb)
{
    m_childInstalled = cb;
}

// ---------------------------------------------------------------------------------------
// What the engine reports: traces and the user's callback

void
IkeAgent::DoMessageSeen(bool sent,
                        IkeExchangeType type,
                        uint32_t size,
                        Ipv4Address peer,
                        bool response)
{
    (sent ? m_sentTrace : m_receivedTrace)(static_cast<uint8_t>(type), size, peer, response);
}

void
IkeAgent::DoEstablished(Ipv4Address peer, uint32_t spiIn, uint32_t spiOut, Time setupTime)
{
    m_establishedTrace(peer, spiIn, spiOut, setupTime);
}

void
IkeAgent::DoRekeyed(Ipv4Address peer, uint32_t oldSpiIn, uint32_t newSpiIn, uint32_t newSpiOut)
{
    m_rekeyedTrace(peer, oldSpiIn, newSpiIn, newSpiOut);
}

void
IkeAgent::DoFailed(Ipv4Address peer, const std::string& reason)
{
    m_failedTrace(peer, reason);
}

void
IkeAgent::DoDropped(Ptr<const Packet> p, Ipv4Address from, const std::string& reason)
{
    m_dropTrace(p, from, reason);
}

void
IkeAgent::DoChildUsable(Ipv4Address peer)
{
    if (!m_childInstalled.IsNull())
    {
        m_childInstalled(peer);
    }
}

} // namespace ns3
