/**
 * A DynamoDB table with the safeguards every table of this stack gets: on-demand billing,
 * point-in-time recovery, encryption with the AWS managed key, and deletion protection on
 * production stages. The shape comes from common/tables.ts, shared with the local server.
 */
import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table/index.js";
import { Construct } from "constructs";

/** The key schema of a table, as common/tables.ts declares it. */
export interface TableShape {
  readonly hashKey: string;
  readonly attributes: readonly { readonly name: string; readonly type: "S" | "N" | "B" }[];
  /** An attribute holding an epoch-seconds expiry, for tables whose items expire. */
  readonly ttlAttribute?: string;
}

export interface DataTableProps {
  readonly tableName: string;
  readonly shape: TableShape;
  readonly deletionProtection: boolean;
}

/** One DynamoDB table of the stack. */
export class DataTable extends Construct {
  readonly table: DynamodbTable;

  constructor(scope: Construct, id: string, props: DataTableProps) {
    super(scope, id);
    const { shape } = props;
    this.table = new DynamodbTable(this, "table", {
      name: props.tableName,
      // On-demand: no capacity to plan, and an idle stage costs nothing but storage.
      billingMode: "PAY_PER_REQUEST",
      hashKey: shape.hashKey,
      attribute: shape.attributes.map(({ name, type }) => ({ name, type })),
      pointInTimeRecovery: { enabled: true },
      // enabled = the AWS managed key (aws/dynamodb), whose use shows in CloudTrail.
      serverSideEncryption: { enabled: true },
      deletionProtectionEnabled: props.deletionProtection,
      ...(shape.ttlAttribute !== undefined && {
        ttl: { attributeName: shape.ttlAttribute, enabled: true },
      }),
    });
  }

  /** The table's name, e.g. for a function's environment. */
  get name(): string {
    return this.table.name;
  }

  /** The table's ARN, the only resource a function's policy names for it. */
  get arn(): string {
    return this.table.arn;
  }
}
