/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/**
 * NTCIP 1202 (Actuated Signal Controller) over SNMP: the objects Greenwave reads and writes
 * ({@link org.greenwave.adapters.ntcip.NtcipObjects}), the 8-phase group bitmaps
 * ({@link org.greenwave.adapters.ntcip.PhaseGroups}), and the per-signal mapping between the engine's phases and
 * detectors and the controller's numbers ({@link org.greenwave.adapters.ntcip.NtcipMapping}). Specified in
 * {@code docs/ntcip.md}.
 */
package org.greenwave.adapters.ntcip;
