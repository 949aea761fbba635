/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_IKE_HEADER_H
#define PRESEC_IKE_HEADER_H

#include "ns3/header.h"
#include "ns3/ipv4-address.h"
#include "ns3/packet.h"
#include "ns3/parse-result.h"
#include "ns3/ptr.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup presec-ike
 * IKEv2 exchange types (RFC 7296 §3.1).
 */
enum class IkeExchangeType : uint8_t
{
    IKE_SA_INIT = 34,     //!< first exchange: SA proposal, Diffie-Hellman, nonces
    IKE_AUTH = 35,        //!< second exchange: identities, authentication, first child SA
    CREATE_CHILD_SA = 36, //!< a further or re-keyed child SA
    INFORMATIONAL = 37,   //!< deletes, notifications, liveness
};

/** Number of IKEv2 exchange types (34..37). */
constexpr int IKE_EXCHANGE_TYPE_COUNT = 4;

/**
 * \param t an exchange type
 * \return 0..3 for 34..37
 */
inline int
ExchangeIndex(IkeExchangeType t)
{
    return static_cast<int>(t) - 34;
}

/**
 * \param t an exchange type
 * \return its RFC name, e.g. `IKE_SA_INIT`
 */
std::string ToString(IkeExchangeType t);

/**
 * \ingroup presec-ike
 * IKEv2 payload types (RFC 7296 §3.2, IANA "IKEv2 Payload Types").
 */
enum class IkePayloadType : uint8_t
{
    NONE = 0,       //!< no next payload
    SA = 33,        //!< Security Association
    KE = 34,        //!< Key Exchange
    IDI = 35,       //!< Identification - Initiator
    IDR = 36,       //!< Identification - Responder
    CERT = 37,      //!< Certificate
    CERTREQ = 38,   //!< Certificate Request
    AUTH = 39,      //!< Authentication
    NONCE = 40,     //!< Nonce (Ni, Nr)
    NOTIFY = 41,    //!< Notify
    DELETE = 42,    //!< Delete
    VENDOR_ID = 43, //!< Vendor ID
    TSI = 44,       //!< Traffic Selector - Initiator
    TSR = 45,       //!< Traffic Selector - Responder
    SK = 46,        //!< Encrypted and Authenticated
    SKF = 53,       //!< Encrypted and Authenticated Fragment (RFC 7383)
};

/**
 * \param t a payload type
 * \return a short name, e.g. `SA`, `KE`, `N`
 */
std::string ToString(IkePayloadType t);

/**
 * \ingroup presec-ike
 * Constants of the IKEv2 wire format (RFC 7296 §3 and the IANA IKEv2 registries).
 */
namespace ike
{
// Protocol IDs (proposals, notify, delete).
constexpr uint8_t PROTO_IKE = 1; //!< the IKE SA
constexpr uint8_t PROTO_AH = 2;  //!< AH
constexpr uint8_t PROTO_ESP = 3; //!< ESP

// Transform types.
constexpr uint8_t TRANSFORM_ENCR = 1;  //!< encryption algorithm
constexpr uint8_t TRANSFORM_PRF = 2;   //!< pseudorandom function
constexpr uint8_t TRANSFORM_INTEG = 3; //!< integrity algorithm
constexpr uint8_t TRANSFORM_DH = 4;    //!< Diffie-Hellman group
constexpr uint8_t TRANSFORM_ESN = 5;   //!< extended sequence numbers

// Transform IDs.
constexpr uint16_t ENCR_3DES = 3;               //!< RFC 2451
constexpr uint16_t ENCR_NULL = 11;              //!< RFC 2410
constexpr uint16_t ENCR_AES_CBC = 12;           //!< RFC 3602
constexpr uint16_t ENCR_AES_GCM_16 = 20;        //!< RFC 4106
constexpr uint16_t ENCR_CHACHA20_POLY1305 = 28; //!< RFC 7634
constexpr uint16_t PRF_HMAC_SHA1 = 2;           //!< RFC 2104
constexpr uint16_t PRF_HMAC_SHA2_256 = 5;       //!< RFC 4868
constexpr uint16_t AUTH_HMAC_SHA1_96 = 2;       //!< RFC 2404
constexpr uint16_t AUTH_HMAC_SHA2_256_128 = 12; //!< RFC 4868
constexpr uint16_t DH_MODP_2048 = 14;           //!< RFC 3526 group 14
constexpr uint16_t DH_CURVE25519 = 31;          //!< RFC 8031
constexpr uint16_t ESN_NONE = 0;                //!< no extended sequence numbers
constexpr uint16_t ATTR_KEY_LENGTH = 14;        //!< transform attribute: key length in bits

// Identification types.
constexpr uint8_t ID_IPV4_ADDR = 1;   //!< a four-octet IPv4 address
constexpr uint8_t ID_FQDN = 2;        //!< a domain name
constexpr uint8_t ID_DER_ASN1_DN = 9; //!< a distinguished name
constexpr uint8_t ID_KEY_ID = 11;     //!< opaque octets

// Authentication methods.
constexpr uint8_t AUTH_RSA_SIG = 1;           //!< RSA digital signature (PKCS#1 v1.5)
constexpr uint8_t AUTH_SHARED_KEY_MIC = 2;    //!< shared key message integrity code
constexpr uint8_t AUTH_ECDSA_SHA256_P256 = 9; //!< RFC 4754

// Certificate encodings.
constexpr uint8_t CERT_X509_SIGNATURE = 4; //!< a DER X.509 certificate

// Traffic selector types.
constexpr uint8_t TS_IPV4_ADDR_RANGE = 7; //!< IPv4 address range

// Notify message types: errors (< 16384) and status.
constexpr uint16_t N_UNSUPPORTED_CRITICAL_PAYLOAD = 1;      //!< error
constexpr uint16_t N_INVALID_IKE_SPI = 4;                   //!< error
constexpr uint16_t N_INVALID_SYNTAX = 7;                    //!< error
constexpr uint16_t N_INVALID_MESSAGE_ID = 9;                //!< error
constexpr uint16_t N_NO_PROPOSAL_CHOSEN = 14;               //!< error
constexpr uint16_t N_INVALID_KE_PAYLOAD = 17;               //!< error
constexpr uint16_t N_AUTHENTICATION_FAILED = 24;            //!< error
constexpr uint16_t N_TS_UNACCEPTABLE = 38;                  //!< error
constexpr uint16_t N_TEMPORARY_FAILURE = 43;                //!< error
constexpr uint16_t N_CHILD_SA_NOT_FOUND = 44;               //!< error
constexpr uint16_t N_INITIAL_CONTACT = 16384;               //!< status
constexpr uint16_t N_NAT_DETECTION_SOURCE_IP = 16388;       //!< status
constexpr uint16_t N_NAT_DETECTION_DESTINATION_IP = 16389;  //!< status
constexpr uint16_t N_USE_TRANSPORT_MODE = 16391;            //!< status
constexpr uint16_t N_REKEY_SA = 16393;                      //!< status
constexpr uint16_t N_ESP_TFC_PADDING_NOT_SUPPORTED = 16394; //!< status
constexpr uint16_t N_MOBIKE_SUPPORTED = 16396;              //!< status (RFC 4555)
constexpr uint16_t N_UPDATE_SA_ADDRESSES = 16400;           //!< status (RFC 4555)
constexpr uint16_t N_IKEV2_FRAGMENTATION_SUPPORTED = 16430; //!< status (RFC 7383)

// Header.
constexpr uint8_t VERSION = 0x20;           //!< major 2, minor 0
constexpr uint8_t FLAG_INITIATOR = 0x08;    //!< sent by the original initiator of the IKE SA
constexpr uint8_t FLAG_VERSION = 0x10;      //!< a higher major version is supported
constexpr uint8_t FLAG_RESPONSE = 0x20;     //!< this message is a response
constexpr uint32_t HEADER_SIZE = 28;        //!< bytes of the IKE header
constexpr uint32_t PAYLOAD_HEADER_SIZE = 4; //!< bytes of the generic payload header
constexpr uint32_t SKF_FIELDS_SIZE = 4;     //!< Fragment Number and Total Fragments (RFC 7383)
constexpr uint16_t PORT = 500;              //!< UDP port

/**
 * \param x a 32-bit value (an SPI, an IPv4 address)
 * \return its 4 bytes in network order
 */
std::vector<uint8_t> Be32(uint32_t x);

/**
 * \param notifyType an error notify type
 * \return the reason name presec reports for it (`no-proposal-chosen`, ..., `notify-N`)
 */
std::string NotifyReason(uint16_t notifyType);
} // namespace ike

/**
 * \ingroup presec-ike
 * The IKE header (RFC 7296 §3.1), 28 bytes.
 *
 * \verbatim
                        1                   2                   3
    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   |                       IKE SA Initiator's SPI                  |
   |                                                               |
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   |                       IKE SA Responder's SPI                  |
   |                                                               |
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   |  Next Payload | MjVer | MnVer | Exchange Type |     Flags     |
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   |                          Message ID                           |
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   |                            Length                             |
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   \endverbatim
 *
 * Deserialize never reads past the buffer: with fewer than 28 bytes it reads nothing and
 * IsValid() is false.
 */
class IkeHeader : public Header
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    IkeHeader();

    uint64_t spiInitiator{0};      //!< IKE SA initiator's SPI
    uint64_t spiResponder{0};      //!< IKE SA responder's SPI (0 in the first message)
    uint8_t nextPayload{0};        //!< type of the first payload (IkePayloadType)
    uint8_t version{ike::VERSION}; //!< major << 4 | minor
    uint8_t exchangeType{static_cast<uint8_t>(IkeExchangeType::IKE_SA_INIT)}; //!< 34..37
    uint8_t flags{0};                                                         //!< ike::FLAG_*
    uint32_t messageId{0};                                                    //!< message ID
    uint32_t length{ike::HEADER_SIZE}; //!< total message length, header included

    /** \return true if the response flag is set */
    bool IsResponse() const;
    /** \return true if the initiator flag is set */
    bool IsFromInitiator() const;
    /** \return the exchange type, if 34..37 */
    std::optional<IkeExchangeType> GetExchangeType() const;
    /** \return false when the last Deserialize had too few bytes */
    bool IsValid() const;

    /** \return the TypeId of this instance */
    TypeId GetInstanceTypeId() const override;
    /** \return the size in bytes on the wire */
    uint32_t GetSerializedSize() const override;
    /** \param start where the header is written */
    void Serialize(Buffer::Iterator start) const override;
    /**
     * \param start where the header is read from
     * \return the number of bytes read
     */
    uint32_t Deserialize(Buffer::Iterator start) override;
    /** \param os the stream printed to */
    void Print(std::ostream& os) const override;

  private:
    bool m_valid{true}; //!< the last Deserialize found 28 bytes
};

/**
 * \ingroup presec-ike
 * One transform of a proposal (RFC 7296 §3.3.2), with the optional key-length attribute.
 */
struct IkeTransform
{
    uint8_t type{0};                   //!< ike::TRANSFORM_*
    uint16_t id{0};                    //!< transform ID
    std::optional<uint16_t> keyLength; //!< key length attribute in bits (AES)

    /** \return its size on the wire: 8, or 12 with the key length */
    uint32_t GetSerializedSize() const;
    /** \param o another \return equality */
    bool operator==(const IkeTransform& o) const;
};

/**
 * \ingroup presec-ike
 * One proposal of an SA payload (RFC 7296 §3.3.1).
 */
struct IkeProposal
{
    uint8_t number{1};                    //!< proposal number, from 1
    uint8_t protocolId{ike::PROTO_IKE};   //!< ike::PROTO_*
    std::vector<uint8_t> spi;             //!< empty (IKE_SA_INIT), 8 (IKE) or 4 (ESP/AH) bytes
    std::vector<IkeTransform> transforms; //!< the transforms

    /** \return its size on the wire */
    uint32_t GetSerializedSize() const;
    /**
     * \param type a transform type
     * \return the first transform of that type, or nullptr
     */
    const IkeTransform* Find(uint8_t type) const;
    /** \return the SPI as a 32-bit number (0 unless 4 bytes) */
    uint32_t GetSpi32() const;
    /** \param o another \return equality */
    bool operator==(const IkeProposal& o) const;
};

/**
 * \ingroup presec-ike
 * One traffic selector (RFC 7296 §3.13.1) of type TS_IPV4_ADDR_RANGE, 16 bytes.
 */
struct IkeTrafficSelector
{
    uint8_t ipProtocol{0};                     //!< 0 = any
    uint16_t startPort{0};                     //!< first port
    uint16_t endPort{65535};                   //!< last port
    Ipv4Address startAddress{"0.0.0.0"};       //!< first address
    Ipv4Address endAddress{"255.255.255.255"}; //!< last address

    /**
     * \param a an address
     * \return a selector for exactly that host, any protocol and port
     */
    static IkeTrafficSelector Host(Ipv4Address a);
    /** \return a selector for every address, protocol and port */
    static IkeTrafficSelector Any();
    /** \param o another \return equality */
    bool operator==(const IkeTrafficSelector& o) const;
};

/**
 * \ingroup presec-ike
 * One IKEv2 payload: the generic payload header (RFC 7296 §3.2) and the body of its type.
 *
 * The type is not on the wire (the previous payload's Next Payload field gives it), so set
 * it before Deserialize. The fields used depend on the type:
 *  - SA: proposals;
 *  - KE: group and data (the public value);
 *  - IDi/IDr: subType = ID type, data;
 *  - CERT/CERTREQ: subType = encoding, data;
 *  - AUTH: subType = method, data;
 *  - Nonce, Vendor ID: data;
 *  - Notify: protocolId, spi, notifyType, data;
 *  - Delete: protocolId, spiSize, deleteSpis (SPIs of spiSize bytes each, concatenated);
 *  - TSi/TSr: selectors;
 *  - SK and unknown types: data (opaque body; for SK: IV, ciphertext, ICV).
 *
 * Deserialize never reads past the buffer or the payload's own length; a payload that does
 * not parse is marked invalid (IsValid, GetError) and the consumed size is what its length
 * field claims (or what is left, when that is less).
 */
class IkePayload : public Header
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    /** \param type the payload type */
    explicit IkePayload(IkePayloadType type = IkePayloadType::NONE);

    IkePayloadType type;    //!< payload type (not on the wire)
    uint8_t nextPayload{0}; //!< type of the next payload, or of the first inner (SK)
    bool critical{false};   //!< critical bit

    std::vector<IkeProposal> proposals;        //!< SA
    uint16_t group{0};                         //!< KE: Diffie-Hellman group
    uint8_t subType{0};                        //!< ID type, cert encoding or auth method
    uint8_t protocolId{0};                     //!< Notify / Delete
    uint8_t spiSize{0};                        //!< Delete: bytes per SPI
    uint16_t notifyType{0};                    //!< Notify
    std::vector<uint8_t> spi;                  //!< Notify SPI
    std::vector<uint8_t> deleteSpis;           //!< Delete SPIs
    std::vector<IkeTrafficSelector> selectors; //!< TSi / TSr
    std::vector<uint8_t> data;                 //!< the variable data of most types

    /** \return false when the last Deserialize found a malformed payload */
    bool IsValid() const;
    /** \return what was wrong (empty when valid) */
    const std::string& GetError() const;

    /** \return the notify SPI / a 4-byte SPI as a number (0 otherwise) */
    uint32_t GetSpi32() const;

    // --- factories ---
    /**
     * \param proposals the proposals
     * \return an SA payload
     */
    static IkePayload MakeSa(std::vector<IkeProposal> proposals);
    /**
     * \param group DH group
     * \param publicValue the public value
     * \return a KE payload
     */
    static IkePayload MakeKe(uint16_t group, std::vector<uint8_t> publicValue);
    /**
     * \param nonce the nonce
     * \return a Nonce payload
     */
    static IkePayload MakeNonce(std::vector<uint8_t> nonce);
    /**
     * \param responder IDr instead of IDi
     * \param idType ike::ID_*
     * \param value the identification data
     * \return an ID payload
     */
    static IkePayload MakeId(bool responder, uint8_t idType, std::vector<uint8_t> value);
    /**
     * \param method ike::AUTH_*
     * \param value the authentication data
     * \return an AUTH payload
     */
    static IkePayload MakeAuth(uint8_t method, std::vector<uint8_t> value);
    /**
     * \param request CERTREQ instead of CERT
     * \param encoding ike::CERT_*
     * \param value the certificate (or CA hashes)
     * \return a CERT or CERTREQ payload
     */
    static IkePayload MakeCert(bool request, uint8_t encoding, std::vector<uint8_t> value);
    /**
     * \param notifyType ike::N_*
     * \param value notification data
     * \param protocolId 0, or the protocol of the SA named by \p spi
     * \param spi the SPI (empty for none)
     * \return a Notify payload
     */
    static IkePayload MakeNotify(uint16_t notifyType,
                                 std::vector<uint8_t> value = {},
                                 uint8_t protocolId = 0,
                                 std::vector<uint8_t> spi = {});
    /**
     * \param protocolId ike::PROTO_*
     * \param spis 4-byte SPIs (empty for the IKE SA)
     * \return a Delete payload
     */
    static IkePayload MakeDelete(uint8_t protocolId, const std::vector<uint32_t>& spis);
    /**
     * \param responder TSr instead of TSi
     * \param selectors the selectors
     * \return a TS payload
     */
    static IkePayload MakeTs(bool responder, std::vector<IkeTrafficSelector> selectors);

    /** \return the TypeId of this instance */
    TypeId GetInstanceTypeId() const override;
    /** \return the size in bytes on the wire */
    uint32_t GetSerializedSize() const override;
    /** \param start where the header is written */
    void Serialize(Buffer::Iterator start) const override;
    /**
     * \param start where the header is read from
     * \return the number of bytes read
     */
    uint32_t Deserialize(Buffer::Iterator start) override;
    /** \param os the stream printed to */
    void Print(std::ostream& os) const override;

    /** \param o another \return equality of type and every field of it */
    bool operator==(const IkePayload& o) const;

  private:
    /** \return bytes of the body (after the generic header) */
    uint32_t GetBodySize() const;
    /**
     * Parse the body of the payload's type.
     * \param b the body
     * \param n its length
     * \return empty, or what is wrong
     */
    std::string ParseBody(const uint8_t* b, uint32_t n);

    bool m_valid{true};  //!< the last Deserialize succeeded
    std::string m_error; //!< why it did not
};

/**
 * \ingroup presec-ike
 * Keys of the Encrypted (SK) payload: AES-128-CBC and HMAC-SHA1-96, the IKE SA's
 * ENCR_AES_CBC-128 / AUTH_HMAC_SHA1_96 (RFC 7296 §3.14).
 */
struct IkeSkKeys
{
    std::vector<uint8_t> encryption; //!< SK_e of the sender, 16 bytes
    std::vector<uint8_t> integrity;  //!< SK_a of the sender, 20 bytes
};

/**
 * \ingroup presec-ike
 * An IKEv2 message: the header and the payloads.
 *
 * A message is either clear (IKE_SA_INIT) or protected: then `payloads` are the inner
 * payloads and ToPacket wraps them in one SK payload — IV (16), the payloads encrypted
 * with AES-128-CBC after RFC 7296 padding (pad bytes and a pad-length byte up to a multiple
 * of 16), and an HMAC-SHA1-96 ICV (12) over the message from the IKE header to the end of
 * the ciphertext. The sizes are those of a real IKEv2 implementation with that IKE SA
 * suite: SK adds 4 + 16 + pad(inner + 1 to 16) + 12 bytes.
 */
class IkeMessage
{
  public:
    IkeHeader header;                 //!< the header (length and next payload are set by ToPacket)
    std::vector<IkePayload> payloads; //!< clear payloads, or the inner ones when protected
    bool encrypted{false};            //!< wrap the payloads in SK
    uint16_t fragmentNumber{0};       //!< parsed SKF: its Fragment Number (1..), else 0
    uint16_t totalFragments{0};       //!< parsed SKF: its Total Fragments, else 0

    /**
     * Serialise.
     * \param keys SK keys (required when encrypted)
     * \param iv 16-byte IV (required when encrypted)
     * \return the message bytes (what goes into the UDP datagram)
     */
    std::vector<uint8_t> ToBytes(const IkeSkKeys* keys = nullptr,
                                 const uint8_t* iv = nullptr) const;

    /**
     * Serialise into a packet built of IkeHeader and IkePayload headers.
     * \param keys SK keys (required when encrypted)
     * \param iv 16-byte IV (required when encrypted)
     * \return the packet
     */
    Ptr<Packet> ToPacket(const IkeSkKeys* keys = nullptr, const uint8_t* iv = nullptr) const;

    /**
     * Serialise a protected message as RFC 7383 fragments when it is larger than
     * \p maxBytes: each an IKE message of its own with one SKF payload (Fragment Number,
     * Total Fragments, IV, a piece of the inner payloads encrypted, ICV), at most \p maxBytes
     * long; the first SKF names the first inner payload, the others none.
     * \param keys SK keys
     * \param nextIv writes a fresh 16-byte IV (called once per packet)
     * \param maxBytes the largest IKE message (a datagram's UDP payload) to send
     * \return the fragments in order, or the whole message in one packet if it fits
     */
    std::vector<Ptr<Packet>> ToFragments(const IkeSkKeys& keys,
                                         const std::function<void(uint8_t*)>& nextIv,
                                         uint32_t maxBytes) const;

    /**
     * Verify and decrypt a parsed SKF fragment (RFC 7383 §2.6: each fragment is checked
     * before it is kept).
     * \param raw the fragment's bytes as received
     * \param size their number
     * \param keys the sender's SK keys
     * \param piece where its piece of the inner payloads goes
     * \return empty on success, else what is wrong
     */
    std::string DecryptFragment(const uint8_t* raw,
                                uint32_t size,
                                const IkeSkKeys& keys,
                                std::vector<uint8_t>& piece) const;

    /**
     * Replace the SKF payload of a decrypted fragment with the inner payloads of the whole
     * message, from the pieces of all its fragments.
     * \param pieces the pieces in fragment order
     * \param firstPayload the first inner payload's type (from fragment 1)
     * \return empty on success, else what is wrong
     */
    std::string Reassemble(const std::vector<uint8_t>& pieces, uint8_t firstPayload);

    /**
     * \param innerSize bytes of the inner payloads
     * \return bytes of the SK payload carrying them
     */
    static uint32_t SkPayloadSize(uint32_t innerSize);

    /**
     * Parse a message. An SK payload stays opaque (encrypted = true, the SK payload is the
     * last of `payloads`); call Decrypt to replace it with the inner payloads.
     * \param data the bytes
     * \param size their number
     * \return the message or what is wrong
     */
    static ParseResult<IkeMessage> Parse(const uint8_t* data, uint32_t size);

    /**
     * \param p a packet holding one IKE message
     * \return the message or what is wrong
     */
    static ParseResult<IkeMessage> Parse(Ptr<const Packet> p);

    /**
     * Verify the ICV and decrypt a parsed protected message in place.
     * \param raw the message bytes as received
     * \param size their number
     * \param keys the sender's SK keys
     * \return empty on success, else what is wrong (the message is then unchanged)
     */
    std::string Decrypt(const uint8_t* raw, uint32_t size, const IkeSkKeys& keys);

    /**
     * Parse a chain of payloads.
     * \param data the bytes
     * \param size their number
     * \param first type of the first payload
     * \return the payloads or what is wrong
     */
    static ParseResult<std::vector<IkePayload>> ParseChain(const uint8_t* data,
                                                           uint32_t size,
                                                           uint8_t first);

    /**
     * Serialise a chain of payloads, setting each next-payload field.
     * \param payloads the payloads (their nextPayload fields are updated)
     * \return the bytes
     */
    static std::vector<uint8_t> SerializeChain(std::vector<IkePayload>& payloads);

    /**
     * \param type a payload type
     * \return the first such payload, or nullptr
     */
    const IkePayload* Find(IkePayloadType type) const;

    /**
     * \param notifyType a notify type
     * \return the first such Notify payload, or nullptr
     */
    const IkePayload* FindNotify(uint16_t notifyType) const;

    /** \return the first error Notify (type < 16384), or nullptr */
    const IkePayload* FindErrorNotify() const;
};

/**
 * \ingroup presec-ike
 * The IKE SA's PRF, PRF_HMAC_SHA1: ikev2::Prf with ikev2::PrfAlgorithm::HMAC_SHA1.
 * \param key the key
 * \param data the data
 * \return 20 bytes
 */
std::vector<uint8_t> IkePrf(const std::vector<uint8_t>& key, const std::vector<uint8_t>& data);

/**
 * \ingroup presec-ike
 * prf+ of RFC 7296 §2.13 with the IKE SA's PRF: ikev2::PrfPlus with
 * ikev2::PrfAlgorithm::HMAC_SHA1.
 * \param key K
 * \param seed S
 * \param size bytes wanted (at most 255 * 20)
 * \return the bytes
 */
std::vector<uint8_t> IkePrfPlus(const std::vector<uint8_t>& key,
                                const std::vector<uint8_t>& seed,
                                uint32_t size);

} // namespace ns3

#endif // PRESEC_IKE_HEADER_H
