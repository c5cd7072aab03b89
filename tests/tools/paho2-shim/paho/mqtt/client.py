"""paho-mqtt 2.x's Client, as far as docs/examples/subscriber.py uses it,
over Debian 12's paho-mqtt 1.6: 2.x is not on Debian 12's mirror, and this
lets tests/integration/06-examples.sh run the example's 2.x code path on a
real connection. What it holds the caller to, as 2.x does:
- Client() takes a CallbackAPIVersion first; without one it raises 2.0's
  ValueError (this shim knows VERSION2 only, and refuses VERSION1 too);
- VERSION2 callbacks: on_connect(client, userdata, flags, reason_code,
  properties) and on_subscribe(client, userdata, mid, reason_code_list,
  properties), reason codes as ReasonCode objects, not ints.
It is not paho-mqtt 2.x: the suite says so with a TAP SKIP for the real one.
PAHO2_SHIM_LOG names a file that gets a line per Client made."""
import enum
import importlib.util
import os
import sys

_spec = importlib.util.spec_from_file_location(
    "paho.mqtt._client16", "/usr/lib/python3/dist-packages/paho/mqtt/client.py")
_real = importlib.util.module_from_spec(_spec)
sys.modules["paho.mqtt._client16"] = _real
_spec.loader.exec_module(_real)
globals().update({k: v for k, v in vars(_real).items() if not k.startswith("__")})

from .packettypes import PacketTypes  # noqa: E402
from .reasoncodes import ReasonCodes  # noqa: E402


class CallbackAPIVersion(enum.Enum):
    VERSION1 = 1
    VERSION2 = 2


def _code(packet, value):
    return value if isinstance(value, ReasonCodes) else ReasonCodes(packet, identifier=value)


class Client(_real.Client):
    def __init__(self, callback_api_version=None, *args, **kwargs):
        if callback_api_version is not CallbackAPIVersion.VERSION2:
            self._sock = None  # what 1.6's __del__ looks at
            self._sockpairR = None
            self._sockpairW = None
            raise ValueError("Unsupported callback API version: version 2.0 added a "
                             "callback_api_version, see docs/migrations.rst for details")
        super().__init__(*args, **kwargs)
        if os.environ.get("PAHO2_SHIM_LOG"):
            with open(os.environ["PAHO2_SHIM_LOG"], "a", encoding="utf-8") as log:
                log.write("Client(CallbackAPIVersion.VERSION2)\n")

    # 1.6 reads its callbacks through these properties: they give the
    # adapters, which call what the caller set with 2.x's arguments.
    @property
    def on_connect(self):
        return _real.Client.on_connect.fget(self)

    @on_connect.setter
    def on_connect(self, func):
        def call(client, userdata, flags, rc, properties=None):
            func(client, userdata, flags, _code(PacketTypes.CONNACK, rc), properties)
        _real.Client.on_connect.fset(self, call)

    @property
    def on_subscribe(self):
        return _real.Client.on_subscribe.fget(self)

    @on_subscribe.setter
    def on_subscribe(self, func):
        def call(client, userdata, mid, granted, properties=None):
            codes = [_code(PacketTypes.SUBACK, q) for q in granted]
            func(client, userdata, mid, codes, properties)
        _real.Client.on_subscribe.fset(self, call)
