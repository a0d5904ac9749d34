// io.kestra.plugin.core.http.Download (definition; the runtime is http-download-runtime.ts):
// the response body goes to internal storage, and the outputs hold its kestra:// URI.
import { definePlugin, z } from '@baton/plugin-sdk';
import { example } from './example';
import { httpRequest } from './http-request';

export const httpDownload = definePlugin({
  id: 'http.Download',
  aliases: ['io.kestra.plugin.core.http.Download', 'io.kestra.plugin.fs.http.Download'],
  group: 'HTTP',
  title: 'Download a file over HTTP',
  description:
    'Sends an HTTP request (the properties of `io.kestra.plugin.core.http.Request`) and stores the response body, byte for byte, ' +
    "as a file of this task run in internal storage. `uri` in the outputs is the file's kestra:/// URI: pass it to " +
    '`read()`, `fileSize()`, an HTTP `formData` file part or a subflow FILE input, or download it from the execution page. ' +
    'The file is named after the Content-Disposition header, else the last segment of the URL. An empty body fails the task unless `failOnEmptyResponse` is false.',
  idempotent: true,
  activity: { timeout: 'PT30M', heartbeatTimeout: 'PT30S', retry: { maxAttempt: 1 } },
  props: httpRequest.props.omit({ encryptBody: true }).extend({
    failOnEmptyResponse: z.boolean().optional().describe('Fail when the body is empty (default true)'),
  }),
  outputs: z.object({
    uri: z.string().describe('kestra:/// URI of the downloaded file in internal storage'),
    code: z.number().describe('HTTP status code'),
    length: z.number().describe('Bytes downloaded'),
    headers: z.record(z.string(), z.array(z.string())).describe('Response headers, each a list of values'),
  }),
  examples: [
    example(
      'Download a CSV file and log its size',
      `
tasks:
  - id: extract
    type: io.kestra.plugin.core.http.Download
    uri: https://example.com/orders.csv
  - id: size
    type: io.kestra.plugin.core.log.Log
    message: "{{ outputs.extract.length }} bytes in {{ outputs.extract.uri }}"
`,
    ),
  ],
});
