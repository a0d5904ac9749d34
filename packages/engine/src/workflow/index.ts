// Entry point of the workflow bundle (bundleWorkflowCode's workflowsPath).
export { executionWorkflow } from './execution-workflow';
export { scheduleTriggerWorkflow } from './trigger-workflow';
export { endNotificationWorkflow } from './notification-workflow';
export { pollingTriggerWorkflow } from './polling-workflow';
