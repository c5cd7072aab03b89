/* The body commands: report, sighting, update, ack. */
#ifndef RAKSHA_PUBLISH_COMMANDS_H
#define RAKSHA_PUBLISH_COMMANDS_H

#include "publisher/flags.h"
#include "publisher/publish.h"

struct command {
	const char *name;
	enum raksha_kind kind;
	const ProtobufCMessageDescriptor *desc;
	const struct flag *flags;
	const char *usage;
};

extern const struct command commands[];  /* ends with a zeroed entry */

/* Runs @cmd with its own arguments (argv[0] is the command name).
 * Returns a sysexits code. */
int command_run(struct pub *p, const struct command *cmd, int argc, char **argv);

/* Prints @cmd's usage and flags. */
void command_usage(const struct command *cmd, FILE *out);

#endif
