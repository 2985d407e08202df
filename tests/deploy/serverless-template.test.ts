import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { threadTableDefinition } from '../../src/adapters/dynamodb/thread-table.js';
import { readZipEntries, type ZipEntry } from './read-zip-entries.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const OUTPUT_DIR = join(ROOT, '.serverless');
const TEMPLATE_PATH = join(OUTPUT_DIR, 'cloudformation-template-update-stack.json');
const EVENTS_ZIP = join(OUTPUT_DIR, 'events.zip');
const WORKER_ZIP = join(OUTPUT_DIR, 'worker.zip');
/** What `osls package` reads: output older than any of these is stale. */
const PACKAGE_INPUTS = ['serverless.yml', 'package.json', 'pnpm-lock.yaml', 'prompts', 'src'];
/** `pnpm run package` packages the default stage. */
const STAGE = 'dev';
const PARAMETER_PREFIX = `/architect/${STAGE}`;

const cfnResource = z.looseObject({
  Type: z.string(),
  Properties: z.record(z.string(), z.unknown()).default({}),
});
const cfnTemplate = z.looseObject({
  Parameters: z
    .record(z.string(), z.looseObject({ Type: z.string(), Default: z.unknown().optional() }))
    .default({}),
  Conditions: z.record(z.string(), z.unknown()).default({}),
  Resources: z.record(z.string(), cfnResource),
  Outputs: z.record(z.string(), z.looseObject({ Value: z.unknown() })).default({}),
});
type CfnTemplate = z.infer<typeof cfnTemplate>;

const lambdaFunction = z.looseObject({
  FunctionName: z.string(),
  Handler: z.string(),
  Runtime: z.string(),
  Architectures: z.array(z.string()),
  MemorySize: z.number(),
  Timeout: z.number(),
  Role: z.unknown(),
  Environment: z.object({ Variables: z.record(z.string(), z.unknown()) }),
});
const policyStatement = z.looseObject({
  Effect: z.string(),
  Action: z.union([z.string(), z.array(z.string())]),
  Resource: z.unknown(),
  Condition: z.unknown().optional(),
});
type PolicyStatement = z.infer<typeof policyStatement>;
const iamRole = z.looseObject({
  AssumeRolePolicyDocument: z.unknown(),
  Policies: z.array(
    z.object({
      PolicyName: z.string(),
      PolicyDocument: z.looseObject({ Statement: z.array(policyStatement) }),
    }),
  ),
});
const queue = z.looseObject({
  QueueName: z.string(),
  VisibilityTimeout: z.number().optional(),
  RedrivePolicy: z.object({ deadLetterTargetArn: z.unknown(), maxReceiveCount: z.number() }).optional(),
});

const execFileAsync = promisify(execFile);
/** Run by `node -e` with a bundle's file URL: prints the type and arity of its `handler` export. */
const IMPORT_AND_DESCRIBE =
  'const { handler } = await import(process.argv[1]); console.log(typeof handler, handler?.length);';

async function newestModification(path: string): Promise<number> {
  const info = await stat(path);
  if (!info.isDirectory()) return info.mtimeMs;
  const names = await readdir(path, { recursive: true });
  const times = await Promise.all(names.map(async (name) => (await stat(join(path, name))).mtimeMs));
  return Math.max(info.mtimeMs, ...times);
}

async function readTemplate(): Promise<CfnTemplate> {
  return cfnTemplate.parse(JSON.parse(await readFile(TEMPLATE_PATH, 'utf8')));
}

/** True when .serverless holds a default-stage package newer than every input of `osls package`. */
async function packageIsFresh(): Promise<boolean> {
  try {
    const outputs = await Promise.all([TEMPLATE_PATH, EVENTS_ZIP, WORKER_ZIP].map((path) => stat(path)));
    const inputs = await Promise.all(PACKAGE_INPUTS.map((name) => newestModification(join(ROOT, name))));
    const template = await readTemplate();
    return (
      Math.min(...outputs.map((output) => output.mtimeMs)) > Math.max(...inputs) &&
      template.Resources.EventsLambdaFunction?.Properties.FunctionName === `architect-${STAGE}-events` &&
      template.Parameters.AlarmTopicArn?.Default === ''
    );
  } catch {
    return false;
  }
}

/** Runs `pnpm run package`; a failure carries osls's own output, which names the problem. */
async function packageService(): Promise<void> {
  try {
    await execFileAsync('pnpm', ['run', 'package'], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`pnpm run package failed:\n${stdout}\n${stderr}`, { cause: error });
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A CloudFormation value as short readable text: `!GetAtt Table.Arn`, `!Ref Queue`, or the `Fn::Sub` string. */
function cfnText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (isRecord(value)) {
    if (typeof value['Fn::Sub'] === 'string') return value['Fn::Sub'];
    if (Array.isArray(value['Fn::GetAtt'])) return `!GetAtt ${value['Fn::GetAtt'].join('.')}`;
    if (typeof value.Ref === 'string') return `!Ref ${value.Ref}`;
  }
  return JSON.stringify(value);
}

function asList<T>(value: T | T[]): T[] {
  return Array.isArray(value) ? value : [value];
}

function sorted(values: Iterable<string>): string[] {
  return [...values].sort();
}

describe('the packaged CloudFormation template (pnpm run package)', () => {
  let template: CfnTemplate;
  let eventsZip: ZipEntry[];
  let workerZip: ZipEntry[];

  beforeAll(async () => {
    if (!(await packageIsFresh())) await packageService();
    template = await readTemplate();
    eventsZip = await readZipEntries(EVENTS_ZIP);
    workerZip = await readZipEntries(WORKER_ZIP);
  }, 180_000);

  function properties(logicalId: string, type: string): Record<string, unknown> {
    const resource = template.Resources[logicalId];
    expect(resource, `resource ${logicalId}`).toBeDefined();
    expect(resource?.Type).toBe(type);
    return resource?.Properties ?? {};
  }

  function lambda(logicalId: string): z.infer<typeof lambdaFunction> {
    return lambdaFunction.parse(properties(logicalId, 'AWS::Lambda::Function'));
  }

  function roleStatements(logicalId: string): PolicyStatement[] {
    const role = iamRole.parse(properties(logicalId, 'AWS::IAM::Role'));
    return role.Policies.flatMap((policy) => policy.PolicyDocument.Statement);
  }

  /** Every action a role allows, each with the sorted list of resources it is allowed on. */
  function grants(logicalId: string): Record<string, string[]> {
    const byAction = new Map<string, Set<string>>();
    for (const statement of roleStatements(logicalId)) {
      for (const action of asList(statement.Action)) {
        const resources = byAction.get(action) ?? new Set<string>();
        for (const resource of asList(statement.Resource)) resources.add(cfnText(resource));
        byAction.set(action, resources);
      }
    }
    return Object.fromEntries([...byAction].map(([action, resources]) => [action, sorted(resources)]));
  }

  function bundle(entries: ZipEntry[], name: string): string {
    const entry = entries.find((candidate) => candidate.name === name);
    expect(entry, `${name} in the zip`).toBeDefined();
    return entry?.content.toString('utf8') ?? '';
  }

  const logGroupArn = (fn: string) =>
    `arn:aws:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:/aws/lambda/architect-${STAGE}-${fn}:*`;
  const parameterArn = (name: string) =>
    `arn:aws:ssm:\${AWS::Region}:\${AWS::AccountId}:parameter${PARAMETER_PREFIX}/${name}`;
  const accountKeys = `arn:aws:kms:\${AWS::Region}:\${AWS::AccountId}:key/*`;

  it('defines the events and worker functions with their handlers, Node 22 or later, arm64', () => {
    const events = lambda('EventsLambdaFunction');
    const worker = lambda('WorkerLambdaFunction');

    expect(events).toMatchObject({
      FunctionName: `architect-${STAGE}-events`,
      Handler: 'src/handlers/lambda-events.handler',
      Architectures: ['arm64'],
      MemorySize: 1024,
      Timeout: 10,
      Role: { 'Fn::GetAtt': ['EventsRole', 'Arn'] },
    });
    expect(worker).toMatchObject({
      FunctionName: `architect-${STAGE}-worker`,
      Handler: 'src/handlers/lambda-worker.handler',
      Architectures: ['arm64'],
      MemorySize: 1024,
      Timeout: 600,
      Role: { 'Fn::GetAtt': ['WorkerRole', 'Arn'] },
    });
    for (const { Runtime } of [events, worker]) {
      expect(Runtime).toMatch(/^nodejs\d+\.x$/);
      expect(Number.parseInt(Runtime.slice('nodejs'.length), 10)).toBeGreaterThanOrEqual(22);
    }
  });

  it('routes POST /slack/events of the HTTP API to the events function', () => {
    const routes = Object.entries(template.Resources).filter(
      ([, r]) => r.Type === 'AWS::ApiGatewayV2::Route',
    );
    expect(routes.map(([, route]) => route.Properties.RouteKey)).toEqual(['POST /slack/events']);
    const target = cfnText(routes[0]?.[1].Properties.Target);
    const integrationId = /"Ref":"(\w+)"/.exec(target)?.[1] ?? '';

    expect(properties(integrationId, 'AWS::ApiGatewayV2::Integration')).toMatchObject({
      ApiId: { Ref: 'HttpApi' },
      IntegrationType: 'AWS_PROXY',
      IntegrationUri: { 'Fn::GetAtt': ['EventsLambdaFunction', 'Arn'] },
    });
  });

  it("throttles the HTTP API's default route, so a flood of forged requests has a ceiling", () => {
    const stages = Object.entries(template.Resources).filter(
      ([, r]) => r.Type === 'AWS::ApiGatewayV2::Stage',
    );

    expect(stages.map(([logicalId]) => logicalId)).toEqual(['HttpApiStage']);
    expect(properties('HttpApiStage', 'AWS::ApiGatewayV2::Stage')).toMatchObject({
      ApiId: { Ref: 'HttpApi' },
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
    });
  });

  it('feeds the worker from the answer queue one message at a time, at most 5 at once, and from the Home tab queue apart', () => {
    const mappings = Object.values(template.Resources)
      .filter((r) => r.Type === 'AWS::Lambda::EventSourceMapping')
      .map((mapping) => mapping.Properties);
    const from = (queueId: string) =>
      mappings.find((mapping) => cfnText(mapping.EventSourceArn) === `!GetAtt ${queueId}.Arn`);

    expect(mappings).toHaveLength(2);
    expect(from('AnswerQueue')).toMatchObject({
      EventSourceArn: { 'Fn::GetAtt': ['AnswerQueue', 'Arn'] },
      FunctionName: { 'Fn::GetAtt': ['WorkerLambdaFunction', 'Arn'] },
      BatchSize: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 5 },
      Enabled: true,
    });
    // Its own mapping, so its own concurrency: a Home tab never waits for one of the 5 answer slots.
    expect(from('HomeTabQueue')).toMatchObject({
      EventSourceArn: { 'Fn::GetAtt': ['HomeTabQueue', 'Arn'] },
      FunctionName: { 'Fn::GetAtt': ['WorkerLambdaFunction', 'Arn'] },
      BatchSize: 1,
      ScalingConfig: { MaximumConcurrency: 2 },
      Enabled: true,
    });
  });

  it('declares the Home tab queue as FIFO, managed SSE, keeping a job 5 minutes and hiding it longer than the worker runs', () => {
    const homeTabs = queue.parse(properties('HomeTabQueue', 'AWS::SQS::Queue'));

    expect(homeTabs).toMatchObject({
      QueueName: `architect-${STAGE}-home-tabs.fifo`,
      FifoQueue: true,
      ContentBasedDeduplication: false,
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 300,
    });
    expect(homeTabs.VisibilityTimeout).toBeGreaterThan(lambda('WorkerLambdaFunction').Timeout);
  });

  it('declares the thread table with the key schema of threadTableDefinition(), on demand, with TTL, PITR and SSE', () => {
    const table = properties('ThreadsTable', 'AWS::DynamoDB::Table');
    const definition = threadTableDefinition(`architect-${STAGE}-threads`);

    expect(table).toMatchObject({
      TableName: definition.TableName,
      BillingMode: 'PAY_PER_REQUEST',
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true },
    });
    expect(definition.BillingMode).toBe('PAY_PER_REQUEST');
    expect(table.KeySchema).toEqual(definition.KeySchema);
    expect(table.AttributeDefinitions).toEqual(definition.AttributeDefinitions);
  });

  it('declares the answer queue as FIFO with per-group throughput, managed SSE and a redrive to the FIFO DLQ', () => {
    expect(properties('AnswerQueue', 'AWS::SQS::Queue')).toMatchObject({
      QueueName: `architect-${STAGE}-answers.fifo`,
      FifoQueue: true,
      ContentBasedDeduplication: false,
      DeduplicationScope: 'messageGroup',
      FifoThroughputLimit: 'perMessageGroupId',
      SqsManagedSseEnabled: true,
      RedrivePolicy: {
        deadLetterTargetArn: { 'Fn::GetAtt': ['AnswerDeadLetterQueue', 'Arn'] },
        maxReceiveCount: 3,
      },
    });
    const deadLetters = queue.parse(properties('AnswerDeadLetterQueue', 'AWS::SQS::Queue'));
    expect(deadLetters).toMatchObject({ FifoQueue: true, MessageRetentionPeriod: 14 * 24 * 60 * 60 });
    expect(deadLetters.QueueName).toMatch(new RegExp(`^architect-${STAGE}-.+\\.fifo$`));
  });

  it('keeps a message invisible for longer than the worker may run', () => {
    const answers = queue.parse(properties('AnswerQueue', 'AWS::SQS::Queue'));

    expect(answers.VisibilityTimeout).toBeGreaterThan(lambda('WorkerLambdaFunction').Timeout);
  });

  it('gives each function its own role and no shared provider role', () => {
    const roles = Object.entries(template.Resources).filter(([, r]) => r.Type.startsWith('AWS::IAM::'));

    expect(roles.map(([id, r]) => `${id} ${r.Type}`).sort()).toEqual([
      'EventsRole AWS::IAM::Role',
      'WorkerRole AWS::IAM::Role',
    ]);
    for (const id of ['EventsRole', 'WorkerRole']) {
      const role = properties(id, 'AWS::IAM::Role');
      expect(role.ManagedPolicyArns).toBeUndefined();
      expect(role.AssumeRolePolicyDocument).toMatchObject({
        Statement: [
          { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
        ],
      });
    }
  });

  it("limits the events role's table access to thread partitions", () => {
    const statement = roleStatements('EventsRole').find((candidate) =>
      asList(candidate.Action).includes('dynamodb:PutItem'),
    );
    expect(statement?.Condition).toEqual({
      'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['THREAD#*'] },
    });
  });

  it('gives the events role no Query: the Home tab is read by the worker', () => {
    const actions = roleStatements('EventsRole').flatMap((statement) => asList(statement.Action));
    expect(actions).not.toContain('dynamodb:Query');
  });

  it('lets the events role log to its own log group, read and mark threads, enqueue and read its two secrets', () => {
    expect(grants('EventsRole')).toEqual({
      'logs:CreateLogStream': [logGroupArn('events')],
      'logs:PutLogEvents': [logGroupArn('events')],
      'dynamodb:GetItem': ['!GetAtt ThreadsTable.Arn'],
      'dynamodb:PutItem': ['!GetAtt ThreadsTable.Arn'],
      'sqs:SendMessage': ['!GetAtt AnswerQueue.Arn', '!GetAtt HomeTabQueue.Arn'],
      'ssm:GetParameter': sorted([parameterArn('slack-bot-token'), parameterArn('slack-signing-secret')]),
      'kms:Decrypt': [accountKeys],
    });
  });

  it('lets the worker role log to its own log group, use the thread table, consume the queue and read its secrets', () => {
    expect(grants('WorkerRole')).toEqual({
      'logs:CreateLogStream': [logGroupArn('worker')],
      'logs:PutLogEvents': [logGroupArn('worker')],
      'dynamodb:GetItem': ['!GetAtt ThreadsTable.Arn'],
      'dynamodb:PutItem': ['!GetAtt ThreadsTable.Arn'],
      'dynamodb:UpdateItem': ['!GetAtt ThreadsTable.Arn'],
      'dynamodb:Query': ['!GetAtt ThreadsTable.Arn'],
      'dynamodb:BatchWriteItem': ['!GetAtt ThreadsTable.Arn'],
      'sqs:ReceiveMessage': ['!GetAtt AnswerQueue.Arn', '!GetAtt HomeTabQueue.Arn'],
      'sqs:DeleteMessage': ['!GetAtt AnswerQueue.Arn', '!GetAtt HomeTabQueue.Arn'],
      'sqs:GetQueueAttributes': ['!GetAtt AnswerQueue.Arn', '!GetAtt HomeTabQueue.Arn'],
      'sqs:ChangeMessageVisibility': ['!GetAtt AnswerQueue.Arn', '!GetAtt HomeTabQueue.Arn'],
      'ssm:GetParameter': sorted([parameterArn('slack-bot-token'), parameterArn('anthropic-api-key')]),
      'kms:Decrypt': [accountKeys],
    });
  });

  it('never allows a data action on every resource, by an action wildcard, or by Deny/NotAction tricks', () => {
    const statements = [...roleStatements('EventsRole'), ...roleStatements('WorkerRole')];
    const STATEMENT_KEYS = ['Sid', 'Effect', 'Action', 'Resource', 'Condition'];

    for (const statement of statements) {
      const otherKeys = Object.keys(statement).filter((key) => !STATEMENT_KEYS.includes(key));
      expect(otherKeys, 'NotAction, NotResource or NotPrincipal').toEqual([]);
      expect(statement.Effect).toBe('Allow');
      for (const action of asList(statement.Action)) expect(action).not.toContain('*');
      if (asList(statement.Action).some((action) => /^(dynamodb|sqs|ssm|kms):/.test(action))) {
        for (const resource of asList(statement.Resource)) expect(cfnText(resource)).not.toBe('*');
      }
    }
  });

  it('lets KMS decrypt only through SSM in the stack region', () => {
    const decrypts = [...roleStatements('EventsRole'), ...roleStatements('WorkerRole')].filter((statement) =>
      asList(statement.Action).includes('kms:Decrypt'),
    );

    expect(decrypts).toHaveLength(2);
    for (const statement of decrypts) {
      expect(statement.Condition).toEqual({
        StringEquals: { 'kms:ViaService': { 'Fn::Sub': `ssm.\${AWS::Region}.amazonaws.com` } },
      });
    }
  });

  it('keeps each function log group for 30 days under the name its role may write to', () => {
    for (const fn of ['events', 'worker']) {
      const logicalId = `${fn[0]?.toUpperCase()}${fn.slice(1)}LogGroup`;

      expect(properties(logicalId, 'AWS::Logs::LogGroup')).toEqual({
        LogGroupName: `/aws/lambda/architect-${STAGE}-${fn}`,
        RetentionInDays: 30,
      });
    }
  });

  it('alarms on dead letters, worker errors, failed answers and 5xx to Slack, notifying only via the alarm topic', () => {
    const notify = { 'Fn::If': ['HasAlarmTopic', [{ Ref: 'AlarmTopicArn' }], { Ref: 'AWS::NoValue' }] };
    const threshold = {
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: notify,
    };

    expect(properties('DeadLetterQueueAlarm', 'AWS::CloudWatch::Alarm')).toMatchObject({
      ...threshold,
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': ['AnswerDeadLetterQueue', 'QueueName'] } }],
    });
    expect(properties('WorkerErrorsAlarm', 'AWS::CloudWatch::Alarm')).toMatchObject({
      ...threshold,
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Statistic: 'Sum',
      Period: 300,
      EvaluationPeriods: 1,
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: 'WorkerLambdaFunction' } }],
    });
    expect(properties('AnswerFailuresAlarm', 'AWS::CloudWatch::Alarm')).toMatchObject({
      ...threshold,
      Namespace: 'Architect',
      MetricName: 'AnswerFailures',
      Dimensions: [{ Name: 'service', Value: 'architect' }],
    });
    expect(properties('SlackRequests5xxAlarm', 'AWS::CloudWatch::Alarm')).toMatchObject({
      ...threshold,
      Namespace: 'AWS/ApiGateway',
      MetricName: '5xx',
      Dimensions: [{ Name: 'ApiId', Value: { Ref: 'HttpApi' } }],
    });
    expect(template.Conditions.HasAlarmTopic).toEqual({
      'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'AlarmTopicArn' }, ''] }],
    });
    expect(template.Parameters.AlarmTopicArn).toMatchObject({ Type: 'String', Default: '' });
  });

  it('gives the events function exactly its environment, secrets only as SSM parameter names', () => {
    expect(lambda('EventsLambdaFunction').Environment.Variables).toEqual({
      TABLE_NAME: { Ref: 'ThreadsTable' },
      QUEUE_URL: { Ref: 'AnswerQueue' },
      SLACK_BOT_TOKEN_PARAMETER: `${PARAMETER_PREFIX}/slack-bot-token`,
      SLACK_SIGNING_SECRET_PARAMETER: `${PARAMETER_PREFIX}/slack-signing-secret`,
      SLACK_BOT_USER_ID: '',
      ALLOWED_TEAM_IDS: '',
      MAX_REQUEST_CHARS: '20000',
      HOME_TAB_QUEUE_URL: { Ref: 'HomeTabQueue' },
      HISTORY_TTL_DAYS: '30',
      POWERTOOLS_SERVICE_NAME: 'architect',
      POWERTOOLS_METRICS_NAMESPACE: 'Architect',
      LOG_LEVEL: 'info',
    });
  });

  it('gives the worker exactly its environment, with WORKER_MAX_RECEIVES equal to the redrive maxReceiveCount', () => {
    const variables = lambda('WorkerLambdaFunction').Environment.Variables;
    const { RedrivePolicy } = queue.parse(properties('AnswerQueue', 'AWS::SQS::Queue'));

    expect(sorted(Object.keys(variables))).toEqual(
      sorted([
        'TABLE_NAME',
        'QUEUE_URL',
        'SLACK_BOT_TOKEN_PARAMETER',
        'ANTHROPIC_API_KEY_PARAMETER',
        'ANTHROPIC_MODEL',
        'WORKER_MAX_RECEIVES',
        'RATE_LIMIT_PER_USER_PER_HOUR',
        'WORKSPACE_DAILY_TOKEN_BUDGET',
        'DIAGRAM_RENDER_URL',
        'LIVE_ANSWER',
        'HISTORY_TTL_DAYS',
        'POWERTOOLS_SERVICE_NAME',
        'POWERTOOLS_METRICS_NAMESPACE',
        'LOG_LEVEL',
      ]),
    );
    expect(variables).toMatchObject({
      TABLE_NAME: { Ref: 'ThreadsTable' },
      QUEUE_URL: { Ref: 'AnswerQueue' },
      SLACK_BOT_TOKEN_PARAMETER: `${PARAMETER_PREFIX}/slack-bot-token`,
      ANTHROPIC_API_KEY_PARAMETER: `${PARAMETER_PREFIX}/anthropic-api-key`,
      // Off unless a stage sets --param diagramRenderUrl: diagrams leave Slack only when asked to.
      DIAGRAM_RENDER_URL: '',
      LIVE_ANSWER: 'stream',
    });
    expect(variables.WORKER_MAX_RECEIVES).toBe(String(RedrivePolicy?.maxReceiveCount));
  });

  it('holds no secret value: no token-shaped strings, and secret-named variables only point at SSM', () => {
    const text = JSON.stringify(template);

    expect(text).not.toMatch(/xox[a-z]-|xapp-|sk-ant-/);
    for (const id of ['EventsLambdaFunction', 'WorkerLambdaFunction']) {
      for (const [name, value] of Object.entries(lambda(id).Environment.Variables)) {
        // Names that hold a secret end in one of these words (WORKSPACE_DAILY_TOKEN_BUDGET is a number).
        if (/(TOKEN|SECRET|API_KEY|PASSWORD|CREDENTIALS?)(_PARAMETER)?$/.test(name)) {
          expect(name).toMatch(/_PARAMETER$/);
          expect(value).toMatch(new RegExp(`^${PARAMETER_PREFIX}/[a-z-]+$`));
        }
      }
    }
    for (const [name, parameter] of Object.entries(template.Parameters)) {
      expect(name).not.toMatch(/token|secret|key|password/i);
      expect(parameter.NoEcho).toBeUndefined();
    }
  });

  it('outputs the Slack request URL, the queue URLs and the table name', () => {
    expect(template.Outputs).toMatchObject({
      SlackRequestUrl: {
        Value: { 'Fn::Sub': `https://\${HttpApi}.execute-api.\${AWS::Region}.amazonaws.com/slack/events` },
      },
      AnswerQueueUrl: { Value: { Ref: 'AnswerQueue' } },
      AnswerDeadLetterQueueUrl: { Value: { Ref: 'AnswerDeadLetterQueue' } },
      ThreadsTableName: { Value: { Ref: 'ThreadsTable' } },
    });
  });

  it('packages each function as one ESM bundle, the worker with the system prompt at the zip root', async () => {
    const prompt = await readFile(join(ROOT, 'prompts/architect.md'));

    expect(eventsZip.map((entry) => entry.name)).toEqual(['src/handlers/lambda-events.mjs']);
    expect(sorted(workerZip.map((entry) => entry.name))).toEqual([
      'prompts/architect.md',
      'src/handlers/lambda-worker.mjs',
    ]);
    expect(workerZip.find((entry) => entry.name === 'prompts/architect.md')?.content.equals(prompt)).toBe(
      true,
    );
  });

  it('starts each bundle with a require() made by createRequire, and ships no source map', () => {
    for (const code of [
      bundle(eventsZip, 'src/handlers/lambda-events.mjs'),
      bundle(workerZip, 'src/handlers/lambda-worker.mjs'),
    ]) {
      expect(code.slice(0, 200)).toMatch(
        /^import \{ createRequire as \w+ \} from 'node:module'; const require = /,
      );
      expect(code.includes('sourceMappingURL='), 'a sourceMappingURL comment').toBe(false);
    }
  });

  it('loads each bundle as an ES module with no node_modules beside it, exporting a handler of at most 2 arguments', async () => {
    for (const [entries, bundleName] of [
      [eventsZip, 'src/handlers/lambda-events.mjs'],
      [workerZip, 'src/handlers/lambda-worker.mjs'],
    ] as const) {
      const dir = await mkdtemp(join(tmpdir(), 'architect-bundle-'));
      try {
        for (const entry of entries) {
          await mkdir(dirname(join(dir, entry.name)), { recursive: true });
          await writeFile(join(dir, entry.name), entry.content);
        }
        // A fresh process, no environment: importing must neither need settings nor reach the network.
        const { stdout } = await execFileAsync(
          process.execPath,
          ['--input-type=module', '-e', IMPORT_AND_DESCRIBE, pathToFileURL(join(dir, bundleName)).href],
          { cwd: dir, env: { PATH: process.env.PATH ?? '' }, timeout: 30_000 },
        );

        const [type, arity] = stdout.trim().split(' ');
        expect(type, bundleName).toBe('function');
        expect(Number(arity), `${bundleName} handler arity`).toBeLessThanOrEqual(2);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    }
  });

  it('leaves the Anthropic SDK out of the events bundle (and in the worker bundle)', () => {
    // The SDK sends an `anthropic-version` header on every request; its client code carries that literal.
    // (Booleans, not toContain: a failure would print the whole 2 MB bundle.)
    const marker = 'anthropic-version';

    expect(bundle(eventsZip, 'src/handlers/lambda-events.mjs').includes(marker), 'SDK in events').toBe(false);
    expect(bundle(workerZip, 'src/handlers/lambda-worker.mjs').includes(marker), 'SDK in worker').toBe(true);
  });
});
