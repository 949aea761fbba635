/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "tcp-listener.h"

#include "ns3/nstime.h"
#include "ns3/socket.h"
#include "ns3/tcp-socket.h"

namespace ns3
{

int
TcpListener::Listen(Ptr<Socket> socket)
{
    // Far enough that no run reaches it, near enough that Now + it cannot overflow.
    socket->SetAttribute("PersistTimeout", TimeValue(Time::Max() / 4));
    return socket->Listen();
}

void
TcpListener::Accepted(Ptr<Socket> accepted)
{
    TypeId::AttributeInformation info;
    if (TcpSocket::GetTypeId().LookupAttributeByName("PersistTimeout", &info))
    {
        accepted->SetAttribute("PersistTimeout", *info.initialValue);
    }
}

} // namespace ns3
