export { Button, IconButton, Kbd } from './button';
export { Field, TextInput, TextArea, Select, Checkbox, useFieldId } from './field';
export { EmptyState, ErrorState, LoadingState, Skeleton } from './states';
export { Badge } from './badge';
export { Tabs, Segmented, tabPanelProps, type TabItem } from './tabs';
export { Dialog } from './dialog';
export { ToastProvider, useToast } from './toast';
export { default as ui } from './ui.module.css';
