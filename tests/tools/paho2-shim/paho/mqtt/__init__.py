"""The paho-mqtt 2.x shim's package (client.py says why): everything but
the client module is Debian's paho-mqtt 1.6, found after this folder."""

__path__.append("/usr/lib/python3/dist-packages/paho/mqtt")
__version__ = "2.0.0-shim"
