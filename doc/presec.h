/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Doxygen groups of the module (as ns-3's src/<module>/doc/<module>.h); no code.

/**
 * \defgroup presec presec: presence-aware peer-to-peer security
 *
 * Terminals that, before talking to a peer, fetch its presence and IPsec policy, let a user
 * decision model judge and register the policy, and protect the traffic with IPsec in the
 * IPv4 stack. The chapter doc/presec.rst describes the model; one page per concern below.
 */

/**
 * \defgroup presec-common Common
 * \ingroup presec
 * Text, XML and parse-result utilities shared by the parsers (model/common/).
 */

/**
 * \defgroup presec-policy Security policies
 * \ingroup presec
 * SPD entries, their setkey and XML forms, the SPD, protection strength and the policy-set
 * algebra (model/policy/; doc/ipsec.rst).
 */

/**
 * \defgroup presec-ipsec IPsec
 * \ingroup presec
 * The IPsec layer in the IPv4 stack: SAs, ESP/AH/IPComp, crypto and its cost model
 * (model/ipsec/; doc/ipsec.rst).
 */

/**
 * \defgroup presec-ike IKE
 * \ingroup presec
 * SA negotiation (model/ike/; doc/ike.rst).
 */

/**
 * \defgroup presec-presence Presence
 * \ingroup presec
 * SIP (RFC 3261/6665/3428), PIDF documents and the presence agent (model/presence/;
 * doc/presence.rst).
 */

/**
 * \defgroup presec-decision Decision models
 * \ingroup presec
 * The user decision models: the base class and its family (model/decision/;
 * doc/decision-models.rst).
 */

/**
 * \defgroup presec-apparatus Apparatus
 * \ingroup presec
 * The application of patent steps 501-512 / 601-612 that wires presence, decision, SPD and IKE
 * (model/apparatus/; doc/apparatus.rst).
 */

/**
 * \defgroup presec-scenario Scenarios
 * \ingroup presec
 * Scenario files, the runner, its exposure monitor and its report: the presec-scenario
 * module (scenario/model/, scenario/helper/), the only one linking Wi-Fi, mobility, CSMA and
 * stats.
 */
