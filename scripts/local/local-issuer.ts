/**
 * A token issuer on loopback, for offline development (`npm start -- --local-auth`) and the
 * tests: it serves an OpenID discovery document and its key set over HTTP, exactly what the JWT
 * authorizer reads from a real issuer, and signs RS256 tokens with a fresh RSA key. The key can
 * be rotated; the file it writes lets `npm run token` sign tokens for the running server.
 */
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import {
  type CryptoKey,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JWK,
  type JWTPayload,
  SignJWT,
} from "jose";
import { projectRoot } from "../build.ts";

/** Where `npm start -- --local-auth` leaves the signing key for `npm run token` (git-ignored). */
export const localAuthFile =
  process.env.LOCAL_AUTH_FILE || path.join(projectRoot, ".data", "local-auth.json");

/** What a token says, beyond what the issuer adds (`iss`, `iat`, `exp`). */
export interface TokenRequest {
  readonly sub: string;
  readonly audience: string;
  readonly scopes?: readonly string[];
  /** Default 3600. */
  readonly expiresInSeconds?: number;
  readonly claims?: JWTPayload;
}

/** A running local issuer. */
export interface LocalIssuer {
  /** `http://127.0.0.1:<port>`: the JWT issuer setting to use. */
  readonly issuer: string;
  /** How many times its key set was fetched. */
  readonly keySetFetches: () => number;
  sign(request: TokenRequest): Promise<string>;
  /** Signs exactly these claims (nothing added) with the current key. */
  signClaims(claims: JWTPayload): Promise<string>;
  /** The `kid` of the current key. */
  readonly currentKid: () => string;
  /** Replaces the signing key; the key set then serves only the new one. */
  rotateKey(): Promise<void>;
  /** Writes what `npm run token` needs to sign for this issuer (the private key; mode 600). */
  writeSigningFile(file: string, audience: string): Promise<void>;
  close(): Promise<void>;
}

interface SigningKey {
  readonly kid: string;
  readonly privateKey: CryptoKey;
  readonly publicJwk: JWK;
  readonly privateJwk: JWK;
}

async function newSigningKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true });
  const kid = `local-${crypto.randomUUID()}`;
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: "RS256", use: "sig" };
  const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: "RS256" };
  return { kid, privateKey, publicJwk, privateJwk };
}

/** Signs a token as `issuer` with `key`. */
export function signToken(
  issuer: string,
  key: { kid: string; privateKey: CryptoKey },
  request: TokenRequest,
): Promise<string> {
  const scopes = request.scopes ?? [];
  return new SignJWT({
    ...request.claims,
    ...(scopes.length > 0 && { scope: scopes.join(" ") }),
  })
    .setProtectedHeader({ alg: "RS256", kid: key.kid, typ: "JWT" })
    .setIssuer(issuer)
    .setSubject(request.sub)
    .setAudience(request.audience)
    .setIssuedAt()
    .setExpirationTime(`${request.expiresInSeconds ?? 3600}s`)
    .sign(key.privateKey);
}

/** Starts the issuer on `host` (default 127.0.0.1) and `port` (default 0: a free one). */
export async function startLocalIssuer(
  options: { host?: string; port?: number } = {},
): Promise<LocalIssuer> {
  let key = await newSigningKey();
  let fetches = 0;
  let issuer = "";
  const server = createServer((req, res) => {
    const answer = (body: object) => {
      res.writeHead(200, { "content-type": "application/json", "cache-control": "no-store" });
      res.end(JSON.stringify(body));
    };
    if (req.url === "/.well-known/openid-configuration") {
      return answer({
        issuer,
        jwks_uri: `${issuer}/jwks.json`,
        response_types_supported: ["token"],
        subject_types_supported: ["public"],
        id_token_signing_alg_values_supported: ["RS256"],
      });
    }
    if (req.url === "/jwks.json") {
      fetches += 1;
      return answer({ keys: [key.publicJwk] });
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", resolve);
  });
  const { address, port } = server.address() as AddressInfo;
  issuer = `http://${address.includes(":") ? `[${address}]` : address}:${port}`;
  return {
    issuer,
    keySetFetches: () => fetches,
    sign: (request) => signToken(issuer, key, request),
    signClaims: (claims) =>
      new SignJWT(claims).setProtectedHeader({ alg: "RS256", kid: key.kid }).sign(key.privateKey),
    currentKid: () => key.kid,
    rotateKey: async () => {
      key = await newSigningKey();
    },
    writeSigningFile: async (file, audience) => {
      await mkdir(path.dirname(file), { recursive: true });
      const content: SigningFile = { issuer, audience, privateJwk: key.privateJwk };
      await writeFile(file, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600 });
      await chmod(file, 0o600);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** What `--local-auth` leaves for `npm run token`. */
export interface SigningFile {
  readonly issuer: string;
  readonly audience: string;
  readonly privateJwk: JWK;
}

/** Signs a token with the key of a signing file. */
export async function signWithFile(
  file: string,
  request: Omit<TokenRequest, "audience"> & { audience?: string },
) {
  const signing = JSON.parse(await readFile(file, "utf8")) as SigningFile;
  const privateKey = (await importJWK(signing.privateJwk, "RS256")) as CryptoKey;
  const kid = String(signing.privateJwk.kid);
  return signToken(
    signing.issuer,
    { kid, privateKey },
    { ...request, audience: request.audience ?? signing.audience },
  );
}
