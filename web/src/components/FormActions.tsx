// A form's submit button (with its busy label) and, optionally, a button that cancels.
export function FormActions({
  label,
  busyLabel,
  isBusy,
  isDisabled = false,
  isDanger = false,
  onCancel,
  cancelLabel = 'Cancel',
}: {
  label: string;
  busyLabel: string;
  isBusy: boolean;
  isDisabled?: boolean;
  isDanger?: boolean;
  onCancel?: () => void;
  cancelLabel?: string;
}) {
  return (
    <div className="button-row">
      <button type="submit" className={isDanger ? 'button button-danger' : 'button button-primary'} disabled={isBusy || isDisabled}>
        {isBusy ? busyLabel : label}
      </button>
      {onCancel ? (
        <button type="button" className="button" onClick={onCancel}>
          {cancelLabel}
        </button>
      ) : null}
    </div>
  );
}
