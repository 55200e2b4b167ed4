/*
 * Oracle for dbdoctor's conninfo parser: asks the real libpq.
 *
 * Reads NUL-separated connection strings on stdin (a conninfo may contain newlines) and prints one JSON
 * object per string on stdout.
 *
 *   conninfo_parse parse    PQconninfoParse: {"ok":true,"params":{...non-null options}} or {"ok":false,"error":"..."}
 *   conninfo_parse version  prints PQlibVersion() (e.g. 150018), so tests model the installed major
 *   conninfo_parse options  PQconnectdb against a local listener that accepts and closes at once, printing libpq's whole
 *                           error text: {"ok":<message starts with libpq's "connection to server" prefix>,"error":"..."}.
 *                           The TypeScript side (libpq-oracle.ts) decides which first line is an option error.
 *
 * In options mode the token @PORT@ in a string is replaced by the listener's port, so a case that must get past the
 * first connection attempt (connect_timeout is parsed only then) says host=127.0.0.1 port=@PORT@. The caller runs
 * this with a clean environment (no PG* variables, LC_ALL=C, an empty HOME).
 */
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libpq-fe.h>

static void json_string(const char *s)
{
	putchar('"');
	for (const unsigned char *p = (const unsigned char *) s; *p; p++)
	{
		switch (*p)
		{
			case '"': fputs("\\\"", stdout); break;
			case '\\': fputs("\\\\", stdout); break;
			case '\n': fputs("\\n", stdout); break;
			case '\r': fputs("\\r", stdout); break;
			case '\t': fputs("\\t", stdout); break;
			default:
				if (*p < 0x20)
					printf("\\u%04x", *p);
				else
					putchar(*p); /* bytes >= 0x80 pass through: the TS side decodes stdout as UTF-8 */
		}
	}
	putchar('"');
}

static char *read_all(size_t *len)
{
	size_t cap = 1 << 16, n = 0;
	char *buf = malloc(cap);
	size_t r;

	if (!buf)
		exit(3);
	while ((r = fread(buf + n, 1, cap - n, stdin)) > 0)
	{
		n += r;
		if (n == cap)
		{
			cap *= 2;
			buf = realloc(buf, cap);
			if (!buf)
				exit(3);
		}
	}
	buf = realloc(buf, n + 1);
	buf[n] = '\0';
	*len = n;
	return buf;
}

static void do_parse(const char *conninfo)
{
	char *err = NULL;
	PQconninfoOption *opts = PQconninfoParse(conninfo, &err);

	if (opts == NULL)
	{
		fputs("{\"ok\":false,\"error\":", stdout);
		json_string(err ? err : "out of memory");
		fputs("}\n", stdout);
		if (err)
			PQfreemem(err);
		return;
	}
	fputs("{\"ok\":true,\"params\":{", stdout);
	int first = 1;
	for (PQconninfoOption *o = opts; o->keyword; o++)
	{
		if (o->val == NULL)
			continue;
		if (!first)
			putchar(',');
		first = 0;
		json_string(o->keyword);
		putchar(':');
		json_string(o->val);
	}
	fputs("}}\n", stdout);
	PQconninfoFree(opts);
}

static char listener_port[16];

static void do_options(const char *raw)
{
	char *conninfo = malloc(strlen(raw) * 2 + 16);
	const char *r = raw;
	char *w = conninfo;
	PGconn *conn;

	while (*r)
	{
		if (strncmp(r, "@PORT@", 6) == 0)
		{
			w += sprintf(w, "%s", listener_port);
			r += 6;
		}
		else
			*w++ = *r++;
	}
	*w = '\0';
	conn = PQconnectdb(conninfo);
	free(conninfo);
	const char *msg = conn ? PQerrorMessage(conn) : "out of memory";
	int network = strncmp(msg, "connection to server", 20) == 0;

	if (conn && PQstatus(conn) == CONNECTION_OK)
		network = 1; /* cannot happen against our listener, but never call it an option error */
	fputs(network ? "{\"ok\":true,\"error\":" : "{\"ok\":false,\"error\":", stdout);
	json_string(msg);
	fputs("}\n", stdout);
	if (conn)
		PQfinish(conn);
}

/* A listener on 127.0.0.1 that accepts and closes every connection, so libpq fails fast after its option checks. */
static pid_t start_listener(int *port)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in addr;
	socklen_t alen = sizeof(addr);
	pid_t pid;

	memset(&addr, 0, sizeof(addr));
	addr.sin_family = AF_INET;
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	addr.sin_port = 0;
	if (fd < 0 || bind(fd, (struct sockaddr *) &addr, sizeof(addr)) != 0 || listen(fd, 64) != 0 ||
		getsockname(fd, (struct sockaddr *) &addr, &alen) != 0)
	{
		perror("listener");
		exit(3);
	}
	*port = ntohs(addr.sin_port);
	pid = fork();
	if (pid < 0)
	{
		perror("fork");
		exit(3);
	}
	if (pid == 0)
	{
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		for (;;)
		{
			int c = accept(fd, NULL, NULL);

			if (c >= 0)
				close(c);
			else if (errno != EINTR)
				_exit(0);
		}
	}
	close(fd);
	return pid;
}

int main(int argc, char **argv)
{
	size_t len, i = 0;
	char *buf;
	int options = argc > 1 && strcmp(argv[1], "options") == 0;
	pid_t listener = 0;

	if (argc > 1 && strcmp(argv[1], "version") == 0)
	{
		printf("%d\n", PQlibVersion());
		return 0;
	}
	if (argc < 2 || (!options && strcmp(argv[1], "parse") != 0))
	{
		fprintf(stderr, "usage: conninfo_parse parse|options < NUL-separated conninfo strings\n");
		return 2;
	}
	if (options)
	{
		int port;

		listener = start_listener(&port);
		snprintf(listener_port, sizeof(listener_port), "%d", port);
		/* libpq ignores SIGPIPE itself; be explicit for the listener closing on us */
		signal(SIGPIPE, SIG_IGN);
	}
	buf = read_all(&len);
	while (i < len)
	{
		const char *s = buf + i;
		size_t l = strlen(s);

		if (options)
			do_options(s);
		else
			do_parse(s);
		fflush(stdout);
		i += l + 1;
	}
	if (listener > 0)
	{
		kill(listener, SIGKILL);
		waitpid(listener, NULL, 0);
	}
	free(buf);
	return 0;
}
