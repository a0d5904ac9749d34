// Entry point of the workflow bundle (bundleWorkflowCode's workflowsPath).
export { executionWorkflow } from './execution-workflow';
export { scheduleTriggerWorkflow } from './trigger-workflow';
export { pollingTriggerWorkflow } from './polling-workflow';
