package org.greenwave.adapters.ntcip.virtual;

import org.greenwave.adapters.ntcip.TestIntersections;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.greenwave.adapters.ntcip.NtcipMapping;
import org.greenwave.adapters.ntcip.NtcipObjects;
import org.greenwave.adapters.ntcip.SnmpSession;
import org.greenwave.adapters.ntcip.SnmpV3User;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.snmp4j.AbstractTarget;
import org.snmp4j.PDU;
import org.snmp4j.event.ResponseEvent;
import org.snmp4j.event.ResponseListener;
import org.snmp4j.smi.Integer32;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.UdpAddress;
import org.snmp4j.smi.Variable;
import org.snmp4j.smi.VariableBinding;

/** The virtual controller's NTCIP agent over real SNMPv3 (authPriv) on loopback. */
class NtcipAgentTest {
    private static final SnmpV3User USER = new SnmpV3User("central", "auth-pass-1", "priv-pass-1");


    private final PhaseControl control = new PhaseControl();
    private final PhaseTiming[] timing = {new PhaseTiming(5, 3, 30, false), new PhaseTiming(7, 2.5, 40, false)};
    private ActuatedController controller;
    private NtcipAgent agent;
    private SnmpSession session;
    private AbstractTarget<UdpAddress> target;

    @BeforeEach
    void start() throws Exception {
        controller = new ActuatedController(TestIntersections.crossing("J1"), timing, new int[] {0, 2}, control, 5);
        controller.reset(0, 0);
        // Engine phase 0 is NTCIP phase 2, engine phase 1 NTCIP phase 4.
        NtcipMapping mapping = NtcipMapping.parse(Path.of("test.map"),
                List.of("signal J1 127.0.0.1:1", "phase 0 2", "phase 1 4", "detector a 1", "detector b 2"));
        agent = NtcipAgent.start(mapping.signal("J1"), controller, control, timing, 5, 1, "127.0.0.1", 0, USER);
        session = SnmpSession.v3(USER, 1000, 1);
        target = session.target("127.0.0.1", agent.address().getPort());
    }

    @AfterEach
    void stop() throws Exception {
        session.close();
        agent.close();
    }

    private PDU request(int type, VariableBinding... vbs) throws Exception {
        return request(session, target, type, vbs);
    }

    private static PDU request(SnmpSession s, AbstractTarget<UdpAddress> t, int type, VariableBinding... vbs)
            throws Exception {
        PDU pdu = s.pdu(type);
        for (VariableBinding vb : vbs) {
            pdu.add(vb);
        }
        CompletableFuture<PDU> done = new CompletableFuture<>();
        s.send(pdu, t, null, new ResponseListener() {
            @Override
            public <A extends org.snmp4j.smi.Address> void onResponse(ResponseEvent<A> event) {
                s.cancel(event.getRequest(), this);
                done.complete(event.getResponse());
            }
        });
        return done.get(10, TimeUnit.SECONDS);
    }

    private static VariableBinding vb(OID column, int index) {
        return new VariableBinding(NtcipObjects.column(column, index));
    }

    private static VariableBinding set(OID column, int index, Variable v) {
        return new VariableBinding(NtcipObjects.column(column, index), v);
    }

    @Test
    void servesPhaseStatusAndTheTableInNtcipNumbers() throws Exception {
        PDU r = request(PDU.GET, vb(NtcipObjects.PHASE_STATUS_GROUP_GREENS, 1), vb(NtcipObjects.PHASE_STATUS_GROUP_REDS, 1),
                vb(NtcipObjects.PHASE_MINIMUM_GREEN, 4), vb(NtcipObjects.PHASE_PASSAGE, 4),
                vb(NtcipObjects.PHASE_YELLOW_CHANGE, 2), new VariableBinding(NtcipObjects.MAX_PHASES));
        assertThat(r.getErrorStatus()).isZero();
        assertThat(r.get(0).getVariable().toInt()).isEqualTo(0b0000_0010);   // NTCIP phase 2 green
        assertThat(r.get(1).getVariable().toInt()).isEqualTo(0b0000_1000);   // NTCIP phase 4 red
        assertThat(r.get(2).getVariable().toInt()).isEqualTo(7);
        assertThat(r.get(3).getVariable().toInt()).isEqualTo(25);
        assertThat(r.get(4).getVariable().toInt()).isEqualTo(30);
        assertThat(r.get(5).getVariable().toInt()).isEqualTo(4);
    }

    @Test
    void phaseControlSetsReachTheControllerInEnginePhases() throws Exception {
        PDU r = request(PDU.SET, set(NtcipObjects.PHASE_CONTROL_GROUP_HOLD, 1, new Integer32(0b10)),
                set(NtcipObjects.PHASE_CONTROL_GROUP_VEH_CALL, 1, new Integer32(0b1000)));
        assertThat(r.getErrorStatus()).isZero();
        assertThat(control.hold()).isEqualTo(0b01);
        assertThat(control.vehCall()).isEqualTo(0b10);
        PDU back = request(PDU.GET, vb(NtcipObjects.PHASE_CONTROL_GROUP_HOLD, 1));
        assertThat(back.get(0).getVariable().toInt()).isEqualTo(0b10);
    }

    @Test
    void wrongTypesValuesAndReadOnlyObjectsAreRefused() throws Exception {
        assertThat(request(PDU.SET, set(NtcipObjects.PHASE_CONTROL_GROUP_HOLD, 1, new OctetString("x")))
                .getErrorStatus()).isEqualTo(PDU.wrongType);
        assertThat(request(PDU.SET, set(NtcipObjects.PHASE_CONTROL_GROUP_FORCE_OFF, 1, new Integer32(256)))
                .getErrorStatus()).isEqualTo(PDU.wrongValue);
        assertThat(request(PDU.SET, set(NtcipObjects.PHASE_STATUS_GROUP_GREENS, 1, new Integer32(1)))
                .getErrorStatus()).isEqualTo(PDU.notWritable);
        assertThat(control.forceOff()).isZero();
        assertThat(control.sets()).isZero();
    }

    @Test
    void detectorVolumeOccupancyAndActiveStatus() throws Exception {
        agent.detectors(new boolean[] {true, false});
        PDU r = request(PDU.GET, vb(NtcipObjects.VEHICLE_DETECTOR_STATUS_GROUP_ACTIVE, 1),
                vb(NtcipObjects.DETECTOR_VOLUME, 1), vb(NtcipObjects.DETECTOR_OCCUPANCY, 1),
                vb(NtcipObjects.DETECTOR_VOLUME, 2), new VariableBinding(NtcipObjects.VOLUME_OCCUPANCY_SEQUENCE));
        assertThat(r.get(0).getVariable().toInt()).isEqualTo(0b01);
        assertThat(r.get(1).getVariable().toInt()).isEqualTo(1);
        assertThat(r.get(2).getVariable().toInt()).isEqualTo(200);
        assertThat(r.get(3).getVariable().toInt()).isZero();
        assertThat(r.get(4).getVariable().toInt()).isEqualTo(1);
    }

    @Test
    void everyVehicleOfASecondIsCountedWithItsOccupiedTime() throws Exception {
        // Two vehicles crossed detector 1 within the second (1 Hz presence would see one), one is on it now.
        agent.detectors(new boolean[] {true, false}, new int[] {2, 0}, new int[] {650, 0});
        PDU r = request(PDU.GET, vb(NtcipObjects.DETECTOR_VOLUME, 1), vb(NtcipObjects.DETECTOR_OCCUPANCY, 1),
                vb(NtcipObjects.VEHICLE_DETECTOR_STATUS_GROUP_ACTIVE, 1));
        assertThat(r.get(0).getVariable().toInt()).isEqualTo(2);
        assertThat(r.get(1).getVariable().toInt()).as("650 ms of 1 s in half percent").isEqualTo(130);
        assertThat(r.get(2).getVariable().toInt()).isEqualTo(0b01);
    }

    private static VariableBinding set(OID column, int row, int phase, int value) {
        return new VariableBinding(NtcipObjects.column(column, row, phase), new Integer32(value));
    }

    private static VariableBinding set(OID scalarOrColumn, int value) {
        return new VariableBinding(scalarOrColumn, new Integer32(value));
    }

    @Test
    void patternTablesAreCheckedAndTakenWholeWithTheSelection() throws Exception {
        // Least splits: NTCIP phase 2 (engine 0) 5 s + 4 s change, NTCIP phase 4 (engine 1) 7 s + 4 s.
        PDU r = request(PDU.GET, new VariableBinding(NtcipObjects.MAX_SPLITS), new VariableBinding(NtcipObjects.MAX_PATTERNS),
                new VariableBinding(NtcipObjects.COORD_PATTERN_STATUS), new VariableBinding(NtcipObjects.LOCAL_FREE_STATUS),
                new VariableBinding(NtcipObjects.COORD_CORRECTION_MODE),
                new VariableBinding(NtcipObjects.column(NtcipObjects.SPLIT_TIME, 1, 4)));
        assertThat(r.get(0).getVariable().toInt()).isEqualTo(NtcipAgent.MAX_SPLITS);
        assertThat(r.get(1).getVariable().toInt()).isEqualTo(NtcipAgent.MAX_PATTERNS);
        assertThat(r.get(2).getVariable().toInt()).isEqualTo(NtcipObjects.PATTERN_FREE);
        assertThat(r.get(3).getVariable().toInt()).isEqualTo(NtcipObjects.LOCAL_FREE_COORD_FREE);
        assertThat(r.get(4).getVariable().toInt()).isEqualTo(NtcipObjects.CORRECTION_DWELL);
        assertThat(r.get(5).getVariable().toInt()).as("a split table starts at the least splits").isEqualTo(11);

        r = request(PDU.SET, set(NtcipObjects.column(NtcipObjects.PATTERN_CYCLE_TIME, 1), 40),
                set(NtcipObjects.column(NtcipObjects.PATTERN_OFFSET_TIME, 1), 7),
                set(NtcipObjects.column(NtcipObjects.PATTERN_SPLIT_NUMBER, 1), 1),
                set(NtcipObjects.SPLIT_TIME, 1, 2, 24), set(NtcipObjects.SPLIT_TIME, 1, 4, 14),
                set(NtcipObjects.SPLIT_MODE, 1, 4, NtcipObjects.SPLIT_MODE_MAX_RECALL),
                set(NtcipObjects.SPLIT_COORD_PHASE, 1, 2, 1), set(NtcipObjects.SYSTEM_PATTERN_CONTROL, 1));
        assertThat(r.getErrorStatus()).isZero();
        assertThat(control.systemPattern()).isEqualTo(1);
        assertThat(control.pattern()).as("the 2 s the splits leave go to the coordinated phase")
                .matches(p -> p.sameTiming(new CoordPattern(1, 40, 7, new int[] {26, 14}, 0,
                        new boolean[] {false, true})));
        controller.step(1_000, new boolean[] {false, false});
        r = request(PDU.GET, new VariableBinding(NtcipObjects.COORD_PATTERN_STATUS),
                new VariableBinding(NtcipObjects.LOCAL_FREE_STATUS), new VariableBinding(NtcipObjects.SYSTEM_PATTERN_CONTROL),
                new VariableBinding(NtcipObjects.column(NtcipObjects.SPLIT_TIME, 1, 2)));
        assertThat(r.get(0).getVariable().toInt()).isEqualTo(1);
        assertThat(r.get(1).getVariable().toInt()).isEqualTo(NtcipObjects.LOCAL_FREE_NOT_FREE);
        assertThat(r.get(2).getVariable().toInt()).isEqualTo(1);
        assertThat(r.get(3).getVariable().toInt()).isEqualTo(24);

        // A split below the phase's minimum green and change is refused, and with it the whole set.
        long sets = control.sets();
        r = request(PDU.SET, set(NtcipObjects.column(NtcipObjects.PATTERN_CYCLE_TIME, 2), 30),
                set(NtcipObjects.SPLIT_TIME, 2, 4, 10), set(NtcipObjects.SYSTEM_PATTERN_CONTROL, 2));
        assertThat(r.getErrorStatus()).isEqualTo(PDU.wrongValue);
        assertThat(r.getErrorIndex()).isEqualTo(2);
        assertThat(control.sets()).isEqualTo(sets);
        assertThat(control.systemPattern()).isEqualTo(1);
        assertThat(request(PDU.GET, new VariableBinding(NtcipObjects.column(NtcipObjects.PATTERN_CYCLE_TIME, 2)))
                .get(0).getVariable().toInt()).isZero();
        // Flash, a split mode the controller has not, a second index that is no phase of its.
        assertThat(request(PDU.SET, set(NtcipObjects.SYSTEM_PATTERN_CONTROL, NtcipObjects.PATTERN_FLASH)).getErrorStatus())
                .isEqualTo(PDU.wrongValue);
        assertThat(request(PDU.SET, set(NtcipObjects.SPLIT_MODE, 2, 2, 7)).getErrorStatus()).isEqualTo(PDU.wrongValue);
        assertThat(request(PDU.SET, set(NtcipObjects.SPLIT_TIME, 2, 3, 20)).getErrorStatus())
                .isEqualTo(PDU.noCreation);

        // Splits longer than the cycle: taken, but the controller runs free and says why.
        r = request(PDU.SET, set(NtcipObjects.column(NtcipObjects.PATTERN_CYCLE_TIME, 2), 30),
                set(NtcipObjects.SPLIT_TIME, 2, 2, 20), set(NtcipObjects.SPLIT_TIME, 2, 4, 12),
                set(NtcipObjects.SYSTEM_PATTERN_CONTROL, 2));
        assertThat(r.getErrorStatus()).isZero();
        assertThat(control.pattern()).isNull();
        assertThat(control.freeStatus()).isEqualTo(NtcipObjects.LOCAL_FREE_SPLIT_OVERRUN);
        controller.step(2_000, new boolean[] {false, false});
        assertThat(request(PDU.GET, new VariableBinding(NtcipObjects.LOCAL_FREE_STATUS)).get(0).getVariable().toInt())
                .isEqualTo(NtcipObjects.LOCAL_FREE_SPLIT_OVERRUN);
        // An offset not below the cycle, a pattern the controller has not, free and standby.
        request(PDU.SET, set(NtcipObjects.column(NtcipObjects.PATTERN_OFFSET_TIME, 1), 40),
                set(NtcipObjects.SYSTEM_PATTERN_CONTROL, 1));
        assertThat(control.freeStatus()).isEqualTo(NtcipObjects.LOCAL_FREE_INVALID_OFFSET);
        request(PDU.SET, set(NtcipObjects.SYSTEM_PATTERN_CONTROL, 9));
        assertThat(control.freeStatus()).isEqualTo(NtcipObjects.LOCAL_FREE_BAD_PLAN);
        request(PDU.SET, set(NtcipObjects.SYSTEM_PATTERN_CONTROL, NtcipObjects.PATTERN_FREE));
        assertThat(control.freeStatus()).isEqualTo(NtcipObjects.LOCAL_FREE_COMMAND_FREE);
        assertThat(control.pattern()).isNull();
    }

    @Test
    void aWrongPrivacyKeyGetsNoAnswer() throws Exception {
        try (SnmpSession wrong = SnmpSession.v3(new SnmpV3User("central", "auth-pass-1", "wrong-pass"), 500, 0)) {
            PDU r = request(wrong, wrong.target("127.0.0.1", agent.address().getPort()), PDU.SET,
                    set(NtcipObjects.PHASE_CONTROL_GROUP_HOLD, 1, new Integer32(0b10)));
            assertThat(r == null || r.getType() == PDU.REPORT || r.getErrorStatus() != 0).isTrue();
        }
        assertThat(control.hold()).isZero();
    }
}
