package org.greenwave.adapters.ntcip;

import java.io.IOException;
import java.net.InetAddress;

import org.snmp4j.AbstractTarget;
import org.snmp4j.CommunityTarget;
import org.snmp4j.MessageDispatcherImpl;
import org.snmp4j.PDU;
import org.snmp4j.ScopedPDU;
import org.snmp4j.Snmp;
import org.snmp4j.UserTarget;
import org.snmp4j.event.ResponseListener;
import org.snmp4j.mp.MPv1;
import org.snmp4j.mp.MPv2c;
import org.snmp4j.mp.MPv3;
import org.snmp4j.mp.SnmpConstants;
import org.snmp4j.security.SecurityLevel;
import org.snmp4j.security.SecurityProtocols;
import org.snmp4j.security.USM;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.UdpAddress;
import org.snmp4j.transport.DefaultUdpTransportMapping;

/**
 * The central system's SNMP endpoint: one UDP socket (on every interface, a free port, a 4 MiB receive buffer) and one
 * SNMP4J session for every controller, asynchronous
 * requests with a bounded time-out and retries. SNMPv3 authPriv ({@link SnmpV3User}) unless a community is configured
 * (SNMPv1/v2c: no authentication worth the name and no privacy, see docs/ntcip.md).
 *
 * <p>Threading: {@link #send} from any thread; responses arrive on SNMP4J's threads.
 */
public final class SnmpSession implements AutoCloseable {
    /** The socket's receive buffer asked for, bytes. */
    static final int RECEIVE_BUFFER_BYTES = 4 << 20;
    private final Snmp snmp;
    private final MPv3 mpv3;
    private final USM usm;
    private final SnmpV3User user;
    private final String community;
    private final int version;
    private final long timeoutMs;
    private final int retries;

    private SnmpSession(SnmpV3User user, String community, int version, long timeoutMs, int retries) throws IOException {
        this.user = user;
        this.community = community;
        this.version = version;
        this.timeoutMs = timeoutMs;
        this.retries = retries;
        usm = new USM(SecurityProtocols.getInstance(), new OctetString(MPv3.createLocalEngineID()), 0);
        if (user != null) {
            usm.addUser(user.usmUser());
        }
        MessageDispatcherImpl dispatcher = new MessageDispatcherImpl();
        dispatcher.addMessageProcessingModel(new MPv1());
        dispatcher.addMessageProcessingModel(new MPv2c());
        mpv3 = new MPv3(usm);
        dispatcher.addMessageProcessingModel(mpv3);
        // Every interface, a free port: a socket bound to loopback could not reach a controller on another host.
        DefaultUdpTransportMapping transport = new DefaultUdpTransportMapping(new UdpAddress(
                InetAddress.getByName("0.0.0.0"), 0));
        // Every controller answers within milliseconds of each poll: hundreds of answers arrive at once, more than
        // the system's default buffer holds while this socket's thread waits for a core (the kernel caps the size at
        // net.core.rmem_max).
        transport.setReceiveBufferSize(RECEIVE_BUFFER_BYTES);
        snmp = new Snmp(dispatcher, transport);
        snmp.listen();
    }

    /** SNMPv3 authPriv as {@code user}. */
    public static SnmpSession v3(SnmpV3User user, long timeoutMs, int retries) throws IOException {
        return new SnmpSession(user, null, SnmpConstants.version3, timeoutMs, retries);
    }

    /** SNMPv1 or v2c ({@code version} 1 or 2) with {@code community}: only where the network itself is trusted. */
    public static SnmpSession community(int version, String community, long timeoutMs, int retries) throws IOException {
        if (version != 1 && version != 2) {
            throw new IllegalArgumentException("SNMP community access is version 1 or 2 (v2c), not " + version);
        }
        System.getLogger(SnmpSession.class.getName()).log(System.Logger.Level.WARNING, "NTCIP over SNMP"
                + (version == 1 ? "v1" : "v2c") + " with a community: the community travels in clear text and is the "
                + "only check, nothing is encrypted; anyone who can see or reach the controllers' network can read "
                + "them and command their phases. Use SNMPv3 (authPriv) unless that network is closed and trusted.");
        return new SnmpSession(null, community, version == 1 ? SnmpConstants.version1 : SnmpConstants.version2c,
                timeoutMs, retries);
    }

    /** The target for a controller at {@code host:port}. */
    public AbstractTarget<UdpAddress> target(String host, int port) throws IOException {
        UdpAddress address = new UdpAddress(InetAddress.getByName(host), port);
        AbstractTarget<UdpAddress> t;
        if (user != null) {
            UserTarget<UdpAddress> u = new UserTarget<>();
            u.setSecurityLevel(SecurityLevel.AUTH_PRIV);
            u.setSecurityName(new OctetString(user.name()));
            t = u;
        } else {
            t = new CommunityTarget<>(address, new OctetString(community));
        }
        t.setAddress(address);
        t.setVersion(version);
        t.setTimeout(timeoutMs);
        t.setRetries(retries);
        return t;
    }

    /** A request PDU of {@code type} ({@link PDU#GET}, {@link PDU#SET}) for this session's version. */
    public PDU pdu(int type) {
        PDU p = user != null ? new ScopedPDU() : new PDU();
        p.setType(type);
        return p;
    }

    /** Sends {@code pdu} to {@code target}; {@code listener} gets the response, a report, or a time-out. */
    public void send(PDU pdu, AbstractTarget<UdpAddress> target, Object handle, ResponseListener listener)
            throws IOException {
        snmp.send(pdu, target, handle, listener);
    }

    /** Ends the pending request {@code pdu} (after its response arrived, per SNMP4J's asynchronous contract). */
    public void cancel(PDU pdu, ResponseListener listener) {
        snmp.cancel(pdu, listener);
    }

    /**
     * Forgets what SNMPv3 learnt of the engine at {@code address} (its engine ID, boots and time), so the next
     * request discovers it again: after a controller restarted or was replaced.
     */
    public void forgetEngine(org.snmp4j.smi.Address address) {
        OctetString id = mpv3.removeEngineID(address);
        if (id != null) {
            usm.removeEngineTime(id);
        }
        snmp.removeCachedContextEngineId(address);
    }

    public boolean isV3() {
        return user != null;
    }

    @Override
    public void close() throws IOException {
        snmp.close();
    }
}
