/*
 * Oracle for dbdoctor's effective parameters: for each NUL-terminated conninfo string on stdin, PQconnectStart()
 * (which runs conninfo_add_defaults and pqConnectOptions2: service file, environment, defaults, password file),
 * then prints one JSON line with PQconninfo()'s values, PQhost/PQport and whether PQpass() found a password.
 * Connections go to hostaddr 127.0.0.1 port 1 or a missing socket, so nothing is ever reached.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libpq-fe.h>

static void json_str(const char *s)
{
	putchar('"');
	for (; *s; s++)
	{
		unsigned char c = (unsigned char) *s;
		if (c == '"' || c == '\\') printf("\\%c", c);
		else if (c < 0x20) printf("\\u%04x", c);
		else putchar(c);
	}
	putchar('"');
}

int main(void)
{
	static char buf[1 << 20];
	size_t n = fread(buf, 1, sizeof(buf) - 1, stdin);
	buf[n] = '\0';
	for (size_t off = 0; off < n;)
	{
		const char *conninfo = buf + off;
		off += strlen(conninfo) + 1;
		PGconn *conn = PQconnectStart(conninfo);
		printf("{");
		if (conn == NULL) { printf("\"error\":\"out of memory\"}\n"); continue; }
		if (PQstatus(conn) == CONNECTION_BAD && PQconninfo(conn) != NULL && PQhost(conn) == NULL)
		{
			printf("\"error\":"); json_str(PQerrorMessage(conn)); printf(",");
		}
		PQconninfoOption *opts = PQconninfo(conn);
		printf("\"params\":{");
		int first = 1;
		for (PQconninfoOption *o = opts; o && o->keyword; o++)
		{
			if (o->val == NULL) continue;
			if (!first) putchar(',');
			first = 0;
			json_str(o->keyword); putchar(':'); json_str(o->val);
		}
		printf("}");
		const char *h = PQhost(conn), *p = PQport(conn), *pw = PQpass(conn);
		if (h) { printf(",\"host\":"); json_str(h); }
		if (p) { printf(",\"port\":"); json_str(p); }
		printf(",\"pass\":"); json_str(pw ? pw : "");
		printf(",\"bad\":%s", PQstatus(conn) == CONNECTION_BAD ? "true" : "false");
		printf(",\"message\":"); json_str(PQerrorMessage(conn));
		printf("}\n");
		PQconninfoFree(opts);
		PQfinish(conn);
	}
	return 0;
}
