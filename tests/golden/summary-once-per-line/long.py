# A line longer than the 256 KiB buffer, so it is processed in pieces: the same code in several.
import sys

note = b" WSAECONNRESET [10054: Connection reset by peer] "
sys.stdout.buffer.write(b"p" * 1000 + note + b"q" * 300000 + note + b"r" * 300000 + note + b"WSAEINTR\n")
