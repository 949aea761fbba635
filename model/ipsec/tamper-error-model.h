/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_TAMPER_ERROR_MODEL_H
#define PRESEC_TAMPER_ERROR_MODEL_H

#include "ns3/error-model.h"
#include "ns3/random-variable-stream.h"
#include "ns3/traced-callback.h"

#include <cstdint>

namespace ns3
{

/**
 * \ingroup presec-ipsec
 * An active attacker on a link: installed as a device's ReceiveErrorModel, it flips one bit
 * in the IP payload of some of the data frames the device receives (never drops them), so
 * the receiver's integrity checks — or their absence — decide what happens.
 *
 * Only IPv4 frames (Ethernet II, as CSMA devices receive them) are considered, and of those
 * ESP/AH packets ("protected") and UDP/TCP packets that are not signalling (SIP 5060, IKE 500
 * and 4500: tampering with those would test the presence exchange's parsers, which the
 * fuzzers do) ("clear"). The flipped bit lies past the ESP/AH SPI and sequence number, or
 * past the UDP/TCP header (for UDP also past the first UdpPayloadKept bytes, the voice traffic's
 * RTP header: it is the experiment's measurement header, and a changed sequence number or
 * send time would corrupt the loss and delay statistics), so the packet still reaches the
 * integrity check (or the application). A protected packet tampered with and accepted would be a
 * hole in the IPsec model; a clear one is always accepted.
 */
class TamperErrorModel : public ErrorModel
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    TamperErrorModel();

    /**
     * \param stream first stream index
     * \return the number of streams used (1)
     */
    int64_t AssignStreams(int64_t stream);

    /** \return protected (ESP/AH) packets tampered with */
    uint64_t GetTamperedProtected() const;
    /** \return clear data packets tampered with */
    uint64_t GetTamperedClear() const;

    /**
     * TracedCallback signature of Tampered.
     * \param frame the frame after the change
     * \param isProtected whether it was an ESP/AH packet
     */
    typedef void (*TamperedTracedCallback)(Ptr<const Packet> frame, bool isProtected);

  private:
    bool DoCorrupt(Ptr<Packet> p) override;
    void DoReset() override;

    double m_probability;                                    //!< per eligible frame
    uint32_t m_udpKeep;                                      //!< UDP payload bytes kept
    Ptr<UniformRandomVariable> m_rng;                        //!< draws
    uint64_t m_tamperedProtected{0};                         //!< counter
    uint64_t m_tamperedClear{0};                             //!< counter
    TracedCallback<Ptr<const Packet>, bool> m_tamperedTrace; //!< Tampered
};

} // namespace ns3

#endif // PRESEC_TAMPER_ERROR_MODEL_H
