/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.traci;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A scripted TraCI server on a loopback port, run by one test thread. For every request message it
 * calls the handler with the message body (after the 4-byte length) and sends back what the handler
 * returns, framed with the message length; a null answer closes the connection, as a crashing SUMO
 * would.
 */
final class FakeTraciServer implements AutoCloseable {

    private final ServerSocket server;
    private final Thread thread;
    private final List<byte[]> requests = new CopyOnWriteArrayList<>();
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();

    FakeTraciServer(Function<byte[], byte[]> handler) throws IOException {
        server = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
        thread = new Thread(() -> serve(handler), "fake-traci-server");
        thread.setDaemon(true);
        thread.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** Request bodies received so far. */
    List<byte[]> requests() {
        return requests;
    }

    private void serve(Function<byte[], byte[]> handler) {
        try (Socket socket = server.accept();
             DataInputStream in = new DataInputStream(socket.getInputStream());
             DataOutputStream out = new DataOutputStream(socket.getOutputStream())) {
            while (true) {
                int length;
                try {
                    length = in.readInt();
                } catch (EOFException e) {
                    return;
                }
                byte[] body = new byte[length - 4];
                in.readFully(body);
                requests.add(body);
                byte[] answer = handler.apply(body);
                if (answer == null) {
                    return;
                }
                out.writeInt(answer.length + 4);
                out.write(answer);
                out.flush();
            }
        } catch (IOException | RuntimeException e) {
            if (!server.isClosed()) {
                failures.add(e);
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while stopping the fake server", e);
        }
        if (!failures.isEmpty()) {
            throw new AssertionError("fake server failed", failures.get(0));
        }
    }
}
