/**
 * Optional alarms, created only when an alarm email is configured: every function's errors and
 * throttles, and the API's 5xx answers, each notify one SNS topic that mails the address. Each
 * alarm fires on the first bad minute: for a CRUD API any 5xx is worth a look.
 */
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm/index.js";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic/index.js";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription/index.js";
import { Construct } from "constructs";

export interface AlarmsProps {
  readonly namePrefix: string;
  readonly email: string;
  readonly functionNames: readonly string[];
  readonly apiId: string;
  readonly apiStageName: string;
}

interface MetricToWatch {
  readonly alarmName: string;
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

    const metrics: MetricToWatch[] = props.functionNames.flatMap((functionName) =>
      (["Errors", "Throttles"] as const).map((metricName) => ({
        alarmName: `${functionName}-${metricName.toLowerCase()}`,
        description: `${functionName}: ${metricName} > 0 in a minute`,
        namespace: "AWS/Lambda",
        metricName,
        dimensions: { FunctionName: functionName },
      })),
    );
    metrics.push({
      alarmName: `${props.namePrefix}-api-5xx`,
      description: `${props.namePrefix} API: 5xx answers > 0 in a minute`,
      namespace: "AWS/ApiGateway",
      metricName: "5xx",
      dimensions: { ApiId: props.apiId, Stage: props.apiStageName },
    });

    for (const metric of metrics) {
      new CloudwatchMetricAlarm(this, metric.alarmName.slice(props.namePrefix.length + 1), {
        alarmName: metric.alarmName,
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
