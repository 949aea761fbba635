/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PRESEC_IPSEC_HELPER_H
#define PRESEC_IPSEC_HELPER_H

#include "ns3/crypto-profile.h"
#include "ns3/ipsec-layer.h"
#include "ns3/node-container.h"
#include "ns3/object-factory.h"

#include <optional>
#include <string>

namespace ns3
{

/**
 * \ingroup presec
 * Installs the IPsec block (IpsecLayer with its SPD and SAD, and optionally a
 * CryptoCostModel) on nodes that already have the internet stack, and loads setkey files.
 *
 * \code
 *   InternetStackHelper().Install(nodes);   // first the stack, with its interfaces
 *   IpsecHelper ipsec;
 *   ipsec.SetLayerAttribute("CryptoMode", StringValue("real"));
 *   ipsec.SetCostModel("x86-64-aesni");
 *   ipsec.Install(nodes);
 *   IpsecHelper::LoadSetkeyFile(nodes.Get(0), "a.setkey");
 * \endcode
 */
class IpsecHelper
{
  public:
    IpsecHelper();

    /**
     * Set an attribute of the IpsecLayer objects to be created.
     * \param name attribute name
     * \param value its value
     */
    void SetLayerAttribute(const std::string& name, const AttributeValue& value);

    /**
     * Also install a CryptoCostModel with this built-in profile on each node.
     * \param profile a profile name (e.g. `x86-64-aesni`), or empty for none
     */
    void SetCostModel(const std::string& profile);

    /**
     * Also install a CryptoCostModel with this profile on each node (e.g. one loaded from a
     * presec-calibrate file); it replaces a profile name given to SetCostModel.
     * \param profile the profile
     */
    void SetCostModel(const CryptoProfile& profile);

    /**
     * Set an attribute of the CryptoCostModel objects to be created (the profile comes from
     * SetCostModel), e.g. MaxHistory.
     * \param name attribute name
     * \param value its value
     */
    void SetCostModelAttribute(const std::string& name, const AttributeValue& value);

    /**
     * Install on each node (after InternetStackHelper and the interfaces).
     * \param nodes the nodes
     */
    void Install(NodeContainer nodes) const;

    /**
     * Install on one node.
     * \param node the node
     * \return the layer
     */
    Ptr<IpsecLayer> Install(Ptr<Node> node) const;

    /**
     * Load setkey statements (spdadd, add, flush, spdflush) into a node's databases.
     * \param node a node with an IpsecLayer
     * \param text the statements
     * \return empty on success, else the parse error ("line L, column C: message")
     */
    static std::string LoadSetkey(Ptr<Node> node, const std::string& text);

    /**
     * As LoadSetkey, from a file.
     * \param node a node with an IpsecLayer
     * \param path the file
     * \return empty on success, else "path: error"
     */
    static std::string LoadSetkeyFile(Ptr<Node> node, const std::string& path);

    /**
     * Write Wireshark's `esp_sa` table for the ESP SAs of the nodes, so a pcap of a run in
     * `real` crypto mode opens decrypted (tshark: -o esp.enable_encryption_decode:TRUE and
     * the file as $XDG_CONFIG_HOME/wireshark/esp_sa, or the lines as -o uat:esp_sa:...). Every
     * ESP SA held by any of the nodes is written once, whether or not its addresses are
     * assigned now (terminals that move or use DHCP get them later).
     * \param path the file to write
     * \param nodes the nodes whose SADs are exported
     * \return the number of SAs written
     */
    static uint32_t WriteWiresharkEspSa(const std::string& path, NodeContainer nodes);

    /**
     * The esp_sa line of one SA (the fields Wireshark's UAT expects, quoted).
     * \param sa an ESP SA
     * \return the line, without newline
     */
    static std::string WiresharkEspSaLine(const SecurityAssociation& sa);

  private:
    ObjectFactory m_layerFactory;                   //!< makes IpsecLayer objects
    ObjectFactory m_costFactory;                    //!< makes CryptoCostModel objects
    std::string m_costProfile;                      //!< cost model profile, empty for none
    std::optional<CryptoProfile> m_costProfileData; //!< a profile given whole (wins)
};

} // namespace ns3

#endif // PRESEC_IPSEC_HELPER_H
