#!/usr/bin/env python3
"""A real SMTP server on loopback for tests/service/test_notices.c.

Usage: smtp_sink.py PORT DIR. Listens on 127.0.0.1:PORT (aiosmtpd) and writes
each accepted message to DIR/msg-N.txt, decoded as a reader sees it: the
envelope recipients, To, Subject and the text of the body. Writes DIR/ready
once it listens; runs until SIGTERM.
"""
import email
import email.policy
import os
import signal
import sys
import threading

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, directory):
        self.directory = directory
        self.count = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
        text = "RCPT: %s\nTo: %s\nSubject: %s\nMessage-ID: %s\n\n%s" % (
            ",".join(envelope.rcpt_tos), msg["To"], msg["Subject"], msg["Message-ID"],
            msg.get_content())
        with self.lock:
            self.count += 1
            n = self.count
        path = os.path.join(self.directory, "msg-%d.txt" % n)
        with open(path + ".tmp", "w", encoding="utf-8") as f:
            f.write(text)
        os.rename(path + ".tmp", path)
        return "250 OK"


def main():
    port, directory = int(sys.argv[1]), sys.argv[2]
    controller = Controller(Sink(directory), hostname="127.0.0.1", port=port)
    controller.start()
    with open(os.path.join(directory, "ready"), "w") as f:
        f.write("ready\n")
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
