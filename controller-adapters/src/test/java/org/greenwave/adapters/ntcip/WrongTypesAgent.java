package org.greenwave.adapters.ntcip;

import java.io.IOException;
import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicInteger;

import org.snmp4j.CommandResponder;
import org.snmp4j.CommandResponderEvent;
import org.snmp4j.MessageDispatcherImpl;
import org.snmp4j.PDU;
import org.snmp4j.Snmp;
import org.snmp4j.mp.MPv3;
import org.snmp4j.mp.StatusInformation;
import org.snmp4j.security.SecurityProtocols;
import org.snmp4j.security.USM;
import org.snmp4j.smi.Address;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.UdpAddress;
import org.snmp4j.smi.VariableBinding;
import org.snmp4j.transport.DefaultUdpTransportMapping;

/**
 * An SNMPv3 agent on loopback that authenticates and decrypts properly but answers every object with an OCTET STRING
 * where NTCIP 1202 has an INTEGER: a controller whose firmware or MIB does not match. Counts the sets it receives.
 */
final class WrongTypesAgent implements AutoCloseable {
    private final Snmp snmp;
    private final UdpAddress address;
    final AtomicInteger sets = new AtomicInteger();
    final AtomicInteger gets = new AtomicInteger();

    WrongTypesAgent(SnmpV3User user) throws IOException {
        OctetString engineId = new OctetString(MPv3.createLocalEngineID(new OctetString("wrong-types-"
                + System.nanoTime())));
        USM usm = new USM(SecurityProtocols.getInstance(), engineId, 0);
        usm.addUser(user.usmUser());
        MessageDispatcherImpl dispatcher = new MessageDispatcherImpl();
        dispatcher.addMessageProcessingModel(new MPv3(usm));
        DefaultUdpTransportMapping transport = new DefaultUdpTransportMapping(
                new UdpAddress(InetAddress.getLoopbackAddress(), 0));
        snmp = new Snmp(dispatcher, transport);
        snmp.addCommandResponder(new CommandResponder() {
            @Override
            public <A extends Address> void processPdu(CommandResponderEvent<A> event) {
                PDU request = event.getPDU();
                if (request == null) {
                    return;
                }
                (request.getType() == PDU.SET ? sets : gets).incrementAndGet();
                PDU response = (PDU) request.clone();
                response.setType(PDU.RESPONSE);
                response.setErrorStatus(PDU.noError);
                response.setErrorIndex(0);
                for (VariableBinding vb : response.getVariableBindings()) {
                    vb.setVariable(new OctetString("2"));
                }
                try {
                    event.getMessageDispatcher().returnResponsePdu(event.getMessageProcessingModel(),
                            event.getSecurityModel(), event.getSecurityName(), event.getSecurityLevel(), response,
                            event.getMaxSizeResponsePDU(), event.getStateReference(), new StatusInformation());
                } catch (org.snmp4j.MessageException e) {
                    throw new IllegalStateException(e);
                }
                event.setProcessed(true);
            }
        });
        snmp.listen();
        address = transport.getListenAddress();
    }

    int port() {
        return address.getPort();
    }

    @Override
    public void close() throws IOException {
        snmp.close();
    }
}
