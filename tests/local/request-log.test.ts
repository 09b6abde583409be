/**
 * The local server's human-readable request log cannot be forged: the gateway percent-decodes
 * the path, so `%0A` would start a new line, `%1B[` a terminal escape and `%00` a NUL; the log
 * line escapes them. Checked on the unit and on what `npm start` really prints.
 */
import test from "ava";
import { escapeForLog, formatRequestLine } from "../../scripts/local/local-server.ts";
import { ensureBundles } from "../helpers/local-api.ts";
import { requestBytes, sendRaw } from "../helpers/raw-http.ts";
import { startServerProcess } from "./server-process.ts";

const startScript = new URL("../../scripts/local/start.ts", import.meta.url).pathname;

// A path that, printed raw, would end its line and forge a whole request line after it, in
// red, then write a NUL.
const forgingTarget = "/x%0AGET%20/forged%20200%201%20ms%20get-item%20abc%1B[31m%00%0D%E2%80%A8";

test("escapes line breaks, terminal escapes, NUL, bidi controls and the backslash", (t) => {
  t.is(escapeForLog("a\nb\rc\td"), "a\\nb\\rc\\td");
  t.is(escapeForLog("\u001b[31mred\u0000"), "\\x1b[31mred\\x00");
  t.is(escapeForLog("\u007f\u0085\u009b"), "\\x7f\\x85\\x9b");
  t.is(escapeForLog("\u2028\u2029\u202e\u200b"), "\\u{2028}\\u{2029}\\u{202e}\\u{200b}");
  t.is(escapeForLog("lone \ud800 surrogate"), "lone \\u{d800} surrogate");
  t.is(
    escapeForLog("a\\nb"),
    "a\\\\nb",
    "a literal backslash-n reads differently from a line feed",
  );
});

test("leaves printable text as is, Unicode included", (t) => {
  const text = "/2zZyQ3nmbqxsHDjGJN1Ffpm4sbE é 😀 ~!$&'()*+,;=:@[]";
  t.is(escapeForLog(text), text);
});

test("every character that could break or hide part of a line is escaped", (t) => {
  for (let code = 0; code <= 0xffff; code++) {
    const escaped = escapeForLog(`a${String.fromCharCode(code)}b`);
    // What a terminal or a line-oriented tool would act on.
    t.false(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u.test(escaped), `U+${code.toString(16)}`);
    if (/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u.test(String.fromCharCode(code))) {
      t.regex(escaped, /^a\\(x[0-9a-f]{2}|u\{[0-9a-f]{2,4}\}|[nrt])b$/);
    }
  }
});

test("a request line carries the request's text escaped", (t) => {
  const line = formatRequestLine({
    method: "GET",
    path: "/x\nGET /forged 200 1 ms get-item abc",
    status: 404,
    ms: 1,
    requestId: "LV7fzho-PHcEJPw=",
  });
  t.is(line, "GET /x\\nGET /forged 200 1 ms get-item abc 404 1 ms - LV7fzho-PHcEJPw=");
});

test("the server of npm start prints the forging path on one line, escaped", async (t) => {
  await ensureBundles();
  const server = await startServerProcess(startScript, ["--skip-build", "--in-memory"]);
  t.teardown(() => server.stop("SIGKILL"));
  const response = await sendRaw(
    server.url,
    requestBytes(server.url, { method: "GET", target: forgingTarget }),
  );
  t.is(response.status, 404);
  const requestId = response.headers["apigw-requestid"]?.[0] ?? "";
  t.is(await server.stop("SIGTERM"), 0);
  const output = server.output();
  const line = output.split("\n").find((l) => l.endsWith(requestId));
  t.log(line);
  t.is(
    line,
    `GET /x\\nGET /forged 200 1 ms get-item abc\\x1b[31m\\x00\\r\\u{2028} 404 ${/ (\d+) ms - /.exec(line ?? "")?.[1]} ms - ${requestId}`,
  );
  t.false(/^GET \/forged/m.test(output), "no forged line");
  for (const character of ["\u0000", "\u001b", "\r", "\u2028"]) {
    t.false(output.includes(character), `${escapeForLog(character)} reached the output`);
  }
});
