/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// libFuzzer target: RFC 4661 filter documents, the body of a filtered SUBSCRIBE. An accepted
// document must encode and decode to itself; one the notifier supports must apply to a PIDF
// document without failing.

#include "ns3/notification-filter.h"
#include "ns3/pidf-codec.h"
#include "ns3/simple-filter-codec.h"

#include <cstdint>
#include <cstdlib>
#include <string>

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    using namespace ns3;
    auto set = SimpleFilterCodec::Decode(std::string(reinterpret_cast<const char*>(data), size));
    if (!set)
    {
        return 0;
    }
    auto again = SimpleFilterCodec::Decode(SimpleFilterCodec::Encode(set.GetValue()));
    if (!again || !(again.GetValue() == set.GetValue()))
    {
        std::abort();
    }
    if (NotificationFilter::CheckSupported(set.GetValue()).empty())
    {
        static const std::string doc = [] {
            PresenceDocument d;
            d.entity = "pres:peerA@example.com";
            d.user = "John";
            d.location = "office";
            d.addresses = {Ipv4Address("192.168.1.2")};
            d.placeType = PlaceType::OFFICE;
            return PidfCodec::Encode(d);
        }();
        if (!NotificationFilter::Apply(set.GetValue(), doc, "sip:peerA@example.com"))
        {
            std::abort();
        }
    }
    return 0;
}
