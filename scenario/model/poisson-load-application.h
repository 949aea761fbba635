/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_POISSON_LOAD_APPLICATION_H
#define PRESEC_POISSON_LOAD_APPLICATION_H

#include "ns3/address.h"
#include "ns3/application.h"
#include "ns3/event-id.h"
#include "ns3/nstime.h"
#include "ns3/random-variable-stream.h"

namespace ns3
{

class Socket;

/**
 * \ingroup presec-scenario
 * Background load: UDP datagrams of a fixed size to one destination, sent as a Poisson
 * process (exponential gaps of mean MeanInterval). Poisson arrivals, unlike the constant
 * bit rate of OnOffApplication, make a queue behind them vary, so jitter grows with the
 * offered load as on a shared access link.
 */
class PoissonLoadApplication : public Application
{
  public:
    /** \return the TypeId */
    static TypeId GetTypeId();
    PoissonLoadApplication();
    ~PoissonLoadApplication() override;

    /**
     * \param stream the first random stream number
     * \return the number of streams used (1)
     */
    int64_t AssignStreams(int64_t stream);
    /** \return datagrams sent so far */
    uint64_t GetSent() const;

  protected:
    /// Drop the socket.
    void DoDispose() override;

  private:
    void StartApplication() override;
    void StopApplication() override;
    /// Send one datagram and schedule the next.
    void Send();

    Address m_remote;                     //!< destination (InetSocketAddress)
    uint32_t m_size{1000};                //!< UDP payload bytes
    Time m_meanInterval;                  //!< mean gap between datagrams
    Ptr<ExponentialRandomVariable> m_gap; //!< the gaps
    Ptr<Socket> m_socket;                 //!< UDP socket
    EventId m_next;                       //!< the next send
    uint64_t m_sent{0};                   //!< datagrams sent
};

} // namespace ns3

#endif // PRESEC_POISSON_LOAD_APPLICATION_H
