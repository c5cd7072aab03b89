/* What MQTT 5 changes in the connection: the CONNECT's clean start and
 * session expiry; and the words for a refused connection, a broker that
 * does not speak MQTT 5 among them. */
#include <errno.h>
#include <stdio.h>

#include "lib/client_internal.h"

/* MQTT 5 ends a session when its connection closes unless the CONNECT asks
 * for longer: the most there is, as MQTT 3.1.1's clean session off, leaves
 * the limit to the broker (mosquitto's persistent_client_expiration). */
#define SESSION_EXPIRY_NEVER 0xFFFFFFFF

/* The fields in which paho's MQTTAsync_connectOptions_initializer5 differs
 * from the 3.1.1 one, and the expiry, set once in c->conn: every attempt,
 * the reconnects of client_reconnect.c among them, sends c->conn. */
int client_mqtt5_connect_options(struct raksha_client *c, bool persistent)
{
	c->conn.MQTTVersion = MQTTVERSION_5;
	c->conn.cleansession = 0;  /* paho refuses it with MQTT 5 */
	c->conn.cleanstart = !persistent;
	if (!persistent)
		return 0;
	MQTTProperty expiry = {.identifier = MQTTPROPERTY_CODE_SESSION_EXPIRY_INTERVAL};
	expiry.value.integer4 = SESSION_EXPIRY_NEVER;
	if (MQTTProperties_add(&c->connect_props, &expiry) != 0)
		return -ENOMEM;
	c->conn.connectProperties = &c->connect_props;  /* paho copies it at connect */
	return 0;
}

/* MQTT 3.1.1's CONNACK return codes. */
static const char *const connack_words[] = {
	"accepted", "unacceptable protocol version", "identifier rejected", "server unavailable",
	"bad user name or password", "not authorized",
};

void client_connect_failure_reason(const struct raksha_client *c, int code, const char *message,
				   char *buf, size_t size)
{
	/* A broker of MQTT 3.1.1 only (NATS 2.9) answers with its CONNACK code
	 * 1, unacceptable protocol version; one of MQTT 5 that will not take
	 * it with 0x84. Paho's own failures are negative. */
	bool v5 = c->mqtt_version == 5;
	if (v5 && (code == 1 || code == MQTTREASONCODE_UNSUPPORTED_PROTOCOL_VERSION))
		snprintf(buf, size, "cannot connect: the broker refused MQTT 5 (CONNACK code %d, "
			 "unacceptable protocol version; NATS 2.9 speaks MQTT 3.1.1 only): use "
			 "mqtt_version = 3 with it", code);
	else if (v5 && code >= MQTTREASONCODE_UNSPECIFIED_ERROR)
		snprintf(buf, size, "cannot connect: %s (MQTT 5 reason code 0x%02x)",
			 MQTTReasonCode_toString((enum MQTTReasonCodes)code), (unsigned)code);
	else if (!v5 && code >= 1 && code <= 5)
		snprintf(buf, size, "cannot connect: %s (CONNACK code %d)", connack_words[code], code);
	else
		snprintf(buf, size, "cannot connect: %s", message ? message : MQTTAsync_strerror(code));
}
