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

/** The objects under `prefix` (every version), e.g. to see the state was written there. */
export async function objectVersions(clients: Clients, bucket: string) {
  const listed = await clients.s3.send(new ListObjectVersionsCommand({ Bucket: bucket }));
  return [...(listed.Versions ?? []), ...(listed.DeleteMarkers ?? [])];
}

export async function deleteStateBucket(clients: Clients, bucket: string): Promise<void> {
  for (const { Key, VersionId } of await objectVersions(clients, bucket)) {
    await clients.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key, VersionId }));
  }
  await clients.s3.send(new DeleteBucketCommand({ Bucket: bucket }));
}
