#!/usr/bin/python3
"""A TCP relay on loopback that counts the bytes clients send upstream.

    count_proxy.py LISTEN_PORT UPSTREAM_PORT COUNT_FILE

Every client connection is relayed to 127.0.0.1:UPSTREAM_PORT; the total of
the bytes sent by clients (request lines, headers and bodies) is rewritten
into COUNT_FILE after every chunk, so that a benchmark measures every S3
client the same way, at the wire.
"""
import socket
import sys
import threading

listen_port, upstream_port, count_file = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
lock = threading.Lock()
total = 0


def note(n):
    global total
    with lock:
        total += n
        with open(count_file, "w") as f:
            f.write(str(total))


def pump(src, dst, counted):
    try:
        while True:
            data = src.recv(1 << 16)
            if not data:
                break
            dst.sendall(data)
            if counted:
                note(len(data))
    except OSError:
        pass
    finally:
        for s in (src, dst):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def serve(client):
    upstream = socket.create_connection(("127.0.0.1", upstream_port))
    for s in (client, upstream):
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    threading.Thread(target=pump, args=(client, upstream, True), daemon=True).start()
    threading.Thread(target=pump, args=(upstream, client, False), daemon=True).start()


note(0)
server = socket.socket()
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(("127.0.0.1", listen_port))
server.listen(128)
while True:
    conn, _ = server.accept()
    serve(conn)
