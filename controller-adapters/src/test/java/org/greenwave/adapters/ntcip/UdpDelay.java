package org.greenwave.adapters.ntcip;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A UDP relay on loopback between one client and one server that holds every datagram for {@link #delayMs} before
 * passing it on, both ways: a controller that answers slowly, as over a congested or failing link.
 */
final class UdpDelay implements AutoCloseable {
    private final DatagramSocket front;
    private final DatagramSocket back;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final Thread[] pumps = new Thread[2];
    private volatile SocketAddress client;
    volatile long delayMs;

    UdpDelay(int serverPort) throws SocketException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        front = new DatagramSocket(new InetSocketAddress(loopback, 0));
        back = new DatagramSocket(new InetSocketAddress(loopback, 0));
        SocketAddress server = new InetSocketAddress(loopback, serverPort);
        pumps[0] = pump(front, () -> server, true);
        pumps[1] = pump(back, () -> client, false);
    }

    int port() {
        return front.getLocalPort();
    }

    private Thread pump(DatagramSocket from, java.util.function.Supplier<SocketAddress> to, boolean fromClient) {
        DatagramSocket out = fromClient ? back : front;
        Thread t = new Thread(() -> {
            byte[] buf = new byte[65_536];
            while (!from.isClosed()) {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                try {
                    from.receive(p);
                } catch (IOException e) {
                    return;
                }
                if (fromClient) {
                    client = p.getSocketAddress();
                }
                byte[] data = Arrays.copyOf(p.getData(), p.getLength());
                timer.schedule(() -> {
                    try {
                        out.send(new DatagramPacket(data, data.length, to.get()));
                    } catch (IOException e) {
                        // closed: the datagram is lost, as on a network
                    }
                }, delayMs, TimeUnit.MILLISECONDS);
            }
        }, "udp-delay");
        t.setDaemon(true);
        t.start();
        return t;
    }

    @Override
    public void close() {
        front.close();
        back.close();
        timer.shutdownNow();
    }
}
