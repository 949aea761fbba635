/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_SIP_DROP_REASON_H
#define PRESEC_SIP_DROP_REASON_H

#include "ns3/callback.h"
#include "ns3/ipv4-address.h"
#include "ns3/ptr.h"
#include "ns3/socket.h"

#include <cstdint>
#include <map>
#include <string>

namespace ns3
{

/**
 * \ingroup presec-presence
 * Where a SIP message came from and how to answer it: the packet's source, and the TCP
 * connection it came on (responses go back on it, RFC 3261 section 18.2.2).
 */
struct SipOrigin
{
    Ipv4Address address; //!< source address
    uint16_t port{0};    //!< source port
    Ptr<Socket> tcp;     //!< the TCP connection it came on; null for UDP
};

/**
 * Told of each piece of bad input a layer answered or dropped: (the message as received,
 * where from, the reason it is counted under, what exactly was wrong, the status answered or
 * 0 when dropped). PresenceAgent turns it into its BadMessage trace.
 */
typedef Callback<void,
                 const std::string&,
                 const SipOrigin&,
                 const std::string&,
                 const std::string&,
                 uint16_t>
    SipDropCallback;

/**
 * \ingroup presec-presence
 * The reasons bad input is counted under (Stats::badMessages keys of every presence layer).
 * One vocabulary for all layers: the reason names what was wrong with the input, whichever
 * layer noticed; PresenceAgent republishes them as its *_REASON constants.
 */
class SipDropReason
{
  public:
    static constexpr const char* NOT_SIP = "Not a SIP message"; //!< not parseable as SIP
    /// out-of-dialog request whose Request-URI names neither our AOR nor one of our addresses
    static constexpr const char* NOT_FOUND = "Request-URI not ours";
    static constexpr const char* TOO_LARGE = "Message too large"; //!< over MaxMessageSize (513)
    static constexpr const char* MALFORMED_REQUEST =
        "Malformed request"; //!< a request the parser refused (400)
    static constexpr const char* UNANSWERABLE =
        "Malformed request, no response possible"; //!< a malformed request too broken to answer
    static constexpr const char* MALFORMED_RESPONSE =
        "Malformed response"; //!< a malformed response (dropped)
    static constexpr const char* UNMATCHED_RESPONSE =
        "Response without transaction"; //!< a response to no transaction of ours
    static constexpr const char* UNSUPPORTED_VERSION =
        "Unsupported SIP version"; //!< not SIP/2.0 (505)
    static constexpr const char* METHOD_NOT_ALLOWED =
        "Method not allowed"; //!< a method not allowed here (405)
    static constexpr const char* METHOD_NOT_IMPLEMENTED =
        "Method not implemented"; //!< a method not implemented (501)
    static constexpr const char* BAD_EVENT =
        "Unsupported event package"; //!< an event package other than presence (489)
    static constexpr const char* NOT_ACCEPTABLE =
        "Not acceptable"; //!< Accept without application/pidf+xml (406)
    static constexpr const char* UNSUPPORTED_MEDIA =
        "Unsupported media type"; //!< a body that is not PIDF (415)
    static constexpr const char* BAD_BODY =
        "Malformed body headers"; //!< inconsistent body headers (400)
    static constexpr const char* BAD_PIDF =
        "Bad PIDF document"; //!< a PIDF document that does not decode (400)
    static constexpr const char* BAD_FILTER =
        "Bad filter document"; //!< an RFC 4661 filter that does not decode (400)
    static constexpr const char* UNSUPPORTED_FILTER =
        "Filter not supported"; //!< a filter the notifier cannot apply (RFC 4660: 488)
    static constexpr const char* NO_SUBSCRIPTION =
        "No matching subscription"; //!< an in-dialog request for no dialog of ours (481)
    static constexpr const char* TCP_FRAMING =
        "TCP framing error"; //!< Content-Length framing lost on TCP
    static constexpr const char* BAD_EXTENSION =
        "Bad extension"; //!< Require names an extension the agent lacks (420)
    static constexpr const char* CSEQ_ORDER =
        "CSeq out of order"; //!< an in-dialog request not newer than the last one (500)
    /// a REGISTER a registrar cannot take (no AOR in To, bad Contact or expires): 400
    static constexpr const char* BAD_REGISTER = "Bad REGISTER";

    /**
     * \param status a status code the parser named
     * \return the reason it is counted under
     */
    static const char* ForStatus(uint16_t status)
    {
        switch (status)
        {
        case 513:
            return TOO_LARGE;
        case 505:
            return UNSUPPORTED_VERSION;
        case 405:
            return METHOD_NOT_ALLOWED;
        case 501:
            return METHOD_NOT_IMPLEMENTED;
        case 489:
            return BAD_EVENT;
        case 415:
            return UNSUPPORTED_MEDIA;
        case 406:
            return NOT_ACCEPTABLE;
        case 481:
            return NO_SUBSCRIPTION;
        default:
            return MALFORMED_REQUEST;
        }
    }

    /**
     * Add one layer's counts to a total (PresenceAgent::GetStats sums its layers').
     * \param total the sum so far
     * \param part one layer's counts
     */
    static void Add(std::map<std::string, uint32_t>& total,
                    const std::map<std::string, uint32_t>& part)
    {
        for (const auto& [reason, n] : part)
        {
            total[reason] += n;
        }
    }
};

/**
 * \ingroup presec-presence
 * The drop function of a presence layer, in the manner of QueueDisc's: it counts bad input
 * by reason in the layer's Stats::badMessages and reports it (PresenceAgent makes the report
 * its BadMessage trace). Each layer derives from it, so each has exactly one.
 */
class SipDropCounter
{
  public:
    /** \param counts the layer's Stats::badMessages */
    explicit SipDropCounter(std::map<std::string, uint32_t>& counts)
        : m_counts(counts)
    {
    }

    virtual ~SipDropCounter() = default;

    /** \param cb told of each piece of bad input counted (null: nobody) */
    void SetDropCallback(SipDropCallback cb)
    {
        m_report = cb;
    }

  protected:
    /**
     * Count and report bad input.
     * \param text the message
     * \param origin where from
     * \param reason counter name (SipDropReason)
     * \param detail what was wrong
     * \param status the status answered, 0 when dropped
     */
    void Drop(const std::string& text,
              const SipOrigin& origin,
              const std::string& reason,
              const std::string& detail,
              uint16_t status)
    {
        ++m_counts[reason];
        if (!m_report.IsNull())
        {
            m_report(text, origin, reason, detail, status);
        }
    }

  private:
    std::map<std::string, uint32_t>& m_counts; //!< the layer's counters
    SipDropCallback m_report;                  //!< told of bad input
};

} // namespace ns3

#endif // PRESEC_SIP_DROP_REASON_H
