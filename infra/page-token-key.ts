/**
 * The key that signs the list's page tokens, one per deployed stage and never in the repository.
 * Terraform's built-in `terraform_data` resource (no extra provider) draws a UUID when it is
 * created and keeps it in the state: `ignore_changes` on its input makes later plans take the
 * stored value instead of a new `uuid()`, so the key stays put and a plan after an apply is
 * empty. Rotate it with `terraform apply -replace=terraform_data.page_token_key` (docs/DEPLOY.md); tokens made
 * under the old key then answer 400 and clients start again from the first page.
 */
import { DataResource, Fn } from "cdktf";
import { Construct } from "constructs";

export class PageTokenKey extends Construct {
  /** The key, marked sensitive so that no plan prints it. */
  readonly value: string;
  readonly resource: DataResource;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.resource = new DataResource(this, "key", {
      input: { key: Fn.uuid() },
      lifecycle: { ignoreChanges: ["input"] },
    });
    // A stable address for `terraform apply -replace=terraform_data.page_token_key`.
    this.resource.overrideLogicalId("page_token_key");
    this.value = Fn.sensitive(this.resource.output.lookup("key"));
  }
}
