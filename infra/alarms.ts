/**
 * Optional alarms, created only when an alarm email is configured: every function's errors and
 * throttles, and the API's 5xx answers, each notify one SNS topic that mails the address. Each
 * alarm fires on the first bad minute: for a CRUD API any 5xx is worth a look.
 */
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm/index.js";
import type { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function/index.js";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic/index.js";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription/index.js";
import { Construct } from "constructs";

export interface AlarmsProps {
  readonly namePrefix: string;
  readonly email: string;
  /** The functions to watch, by route name (literal, for alarm names). */
  readonly functions: ReadonlyMap<string, LambdaFunction>;
  readonly apiId: string;
  readonly apiStageName: string;
}

interface MetricToWatch {
  /** Unique within the stage, and the alarm's name once prefixed. */
  readonly id: string;
  readonly description: string;
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Record<string, string>;
}

/** The SNS topic, its email subscription and one alarm per metric worth waking up for. */
export class Alarms extends Construct {
  readonly topic: SnsTopic;

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);
    this.topic = new SnsTopic(this, "topic", { name: `${props.namePrefix}-alarms` });
    // AWS mails a confirmation link first: nothing arrives until the address confirms it.
    new SnsTopicSubscription(this, "email", {
      topicArn: this.topic.arn,
      protocol: "email",
      endpoint: props.email,
    });

    const metrics: MetricToWatch[] = [...props.functions].flatMap(([name, fn]) =>
      (["Errors", "Throttles"] as const).map((metricName) => ({
        id: `${name}-${metricName.toLowerCase()}`,
        description: `${props.namePrefix}-${name}: ${metricName} > 0 in a minute`,
        namespace: "AWS/Lambda",
        metricName,
        dimensions: { FunctionName: fn.functionName },
      })),
    );
    metrics.push({
      id: "api-5xx",
      description: `${props.namePrefix} API: 5xx answers > 0 in a minute`,
      namespace: "AWS/ApiGateway",
      metricName: "5xx",
      dimensions: { ApiId: props.apiId, Stage: props.apiStageName },
    });

    for (const metric of metrics) {
      new CloudwatchMetricAlarm(this, metric.id, {
        alarmName: `${props.namePrefix}-${metric.id}`,
        alarmDescription: metric.description,
        namespace: metric.namespace,
        metricName: metric.metricName,
        dimensions: metric.dimensions,
        statistic: "Sum",
        period: 60,
        evaluationPeriods: 1,
        threshold: 0,
        comparisonOperator: "GreaterThanThreshold",
        // No traffic is not a failure.
        treatMissingData: "notBreaching",
        alarmActions: [this.topic.arn],
        okActions: [this.topic.arn],
      });
    }
  }
}
