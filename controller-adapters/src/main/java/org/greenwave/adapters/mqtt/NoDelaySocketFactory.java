/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.mqtt;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;

import javax.net.SocketFactory;

/**
 * Plain sockets with Nagle's algorithm off. MQTT messages here are small and sent back to back; with Nagle on, each
 * waits for the previous one's acknowledgement, which the receiver delays by up to 40 ms.
 */
public final class NoDelaySocketFactory extends SocketFactory {
    @Override
    public Socket createSocket() throws IOException {
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        return s;
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return noDelay(new Socket(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return noDelay(new Socket(host, port, localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return noDelay(new Socket(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        return noDelay(new Socket(address, port, localAddress, localPort));
    }

    private static Socket noDelay(Socket s) throws IOException {
        s.setTcpNoDelay(true);
        return s;
    }
}
