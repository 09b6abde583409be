/** The S3 state backend's bucket: made in the emulator before the deploy, removed after. */
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  ListObjectVersionsCommand,
  PutBucketVersioningCommand,
} from "@aws-sdk/client-s3";
import type { Clients } from "./clients.ts";

/** A versioned bucket, as docs/DEPLOY.md asks of a state bucket. */
export async function createStateBucket(clients: Clients, bucket: string): Promise<void> {
  await clients.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await clients.s3.send(
    new PutBucketVersioningCommand({
      Bucket: bucket,
      VersioningConfiguration: { Status: "Enabled" },
    }),
  );
}

/** Every version of every object in the bucket, delete markers included. */
async function objectVersions(clients: Clients, bucket: string) {
  const listed = await clients.s3.send(new ListObjectVersionsCommand({ Bucket: bucket }));
  return [...(listed.Versions ?? []), ...(listed.DeleteMarkers ?? [])];
}

export async function deleteStateBucket(clients: Clients, bucket: string): Promise<void> {
  for (const { Key, VersionId } of await objectVersions(clients, bucket)) {
    await clients.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key, VersionId }));
  }
  await clients.s3.send(new DeleteBucketCommand({ Bucket: bucket }));
}

/**
 * The state went to the bucket, and Terraform locked it there: the bucket is versioned, so the
 * lock file's versions remain after Terraform deletes it.
 */
export async function checkStateBucket(
  clients: Clients,
  bucket: string,
  key: string,
): Promise<string[]> {
  const keys = (await objectVersions(clients, bucket)).map((v) => v.Key);
  return [key, `${key}.tflock`]
    .filter((expected) => !keys.includes(expected))
    .map((missing) => `${missing} was never written to the state bucket ${bucket}`);
}
