// Moving a case to another status: only the statuses the workflow allows from here; a
// resolution code and summary when the move resolves the case. The server has the last word
// and its refusal is shown with the field it concerns.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { Case, ChangeStatus } from '../../../contract/cases.js';
import { api } from '../api/client.js';
import { FormActions } from '../components/FormActions.js';
import { ErrorSummary, fieldErrorsOf, SelectField, TextAreaField } from '../components/FormFields.js';
import { Modal } from '../components/Modal.js';
import { caseKeys, useWorkflow } from './CaseQueries.js';
import { useReplyTemplates } from './ReplyQueries.js';
import { ReplyTemplateOptions } from './ReplyTemplateOptions.js';

const FIELDS = {
  status: { id: 'status-to', label: 'New status' },
  resolutionCode: { id: 'status-code', label: 'Resolution' },
  resolutionSummary: { id: 'status-summary', label: 'Resolution summary' },
  comment: { id: 'status-comment', label: 'Comment' },
  notifyResident: { id: 'status-notify', label: 'Email the resident' },
  closureTemplateId: { id: 'status-closure-template', label: 'Closure message' },
};

export function CaseStatusDialog({ kase, onClose, onDone }: { kase: Case; onClose: () => void; onDone: (c: Case) => void }) {
  const queryClient = useQueryClient();
  const workflow = useWorkflow();
  const [to, setTo] = useState(kase.nextStatuses[0]?.key ?? '');
  const [code, setCode] = useState('');
  const [summary, setSummary] = useState('');
  const [comment, setComment] = useState('');
  const [notify, setNotify] = useState(false);
  const [closureTemplateId, setClosureTemplateId] = useState('');
  const target = kase.nextStatuses.find((s) => s.key === to);
  // Resolving or closing can tell the requester, with a satisfaction rating link.
  const canNotify = Boolean(kase.requester) && (target?.category === 'resolved' || target?.category === 'closed') && kase.status.category !== 'resolved';
  const templates = useReplyTemplates(false, canNotify);
  const change = useMutation({
    mutationFn: () => {
      const body: ChangeStatus = { status: to };
      if (target?.needsResolution) {
        if (code) body.resolutionCode = code;
        if (summary.trim()) body.resolutionSummary = summary.trim();
      }
      if (comment.trim()) body.comment = comment.trim();
      if (canNotify && notify) {
        body.notifyResident = true;
        if (closureTemplateId) body.closureTemplateId = closureTemplateId;
      }
      return api.post<Case>(`/api/v1/cases/${kase.id}/status`, body);
    },
    onSuccess: (updated) => {
      queryClient.setQueryData(caseKeys.one(kase.id), updated);
      void queryClient.invalidateQueries({ queryKey: caseKeys.all });
      onDone(updated);
    },
  });
  const errors = fieldErrorsOf(change.error);
  function submit(e: FormEvent) {
    e.preventDefault();
    change.mutate();
  }
  const codes = (workflow.data?.resolutionCodes ?? []).filter((c) => !c.retired);
  return (
    <Modal title={`Change the status of ${kase.reference}`} onClose={onClose}>
      {kase.nextStatuses.length === 0 ? (
        <>
          <p>The workflow allows no move from “{kase.status.label}”.</p>
          <div className="button-row"><button type="button" className="button" onClick={onClose}>Close</button></div>
        </>
      ) : (
        <form className="form" onSubmit={submit} noValidate>
          <p>Now: <strong>{kase.status.label}</strong></p>
          <ErrorSummary error={change.error} fields={FIELDS} />
          <SelectField id={FIELDS.status.id} label={FIELDS.status.label} value={to} onChange={(e) => setTo(e.target.value)} error={errors.status}>
            {kase.nextStatuses.map((s) => <option key={s.key} value={s.key}>{s.label}</option>)}
          </SelectField>
          {target?.needsResolution ? (
            <>
              <SelectField id={FIELDS.resolutionCode.id} label="Resolution (required to resolve)" value={code} onChange={(e) => setCode(e.target.value)} error={errors.resolutionCode}>
                <option value="">Choose a resolution</option>
                {codes.map((c) => <option key={c.code} value={c.code}>{c.label}</option>)}
              </SelectField>
              <TextAreaField
                id={FIELDS.resolutionSummary.id}
                label="Resolution summary (required to resolve)"
                hint="What was done, in a sentence or two. The resident may see it."
                rows={3}
                value={summary}
                onChange={(e) => setSummary(e.target.value)}
                error={errors.resolutionSummary}
              />
            </>
          ) : null}
          {canNotify ? (
            <div className="field">
              <label className="check"><input id={FIELDS.notifyResident.id} type="checkbox" checked={notify} onChange={(e) => setNotify(e.target.checked)} /> Email {kase.requester!.name} a closure message with a satisfaction rating link</label>
              {errors.notifyResident ? <p className="field-error" id={`${FIELDS.notifyResident.id}-error`}>{errors.notifyResident}</p> : null}
            </div>
          ) : null}
          {canNotify && notify ? (
            <SelectField id={FIELDS.closureTemplateId.id} label="Closure message" value={closureTemplateId} onChange={(e) => setClosureTemplateId(e.target.value)} error={errors.closureTemplateId}>
              <option value="">Standard closure message</option>
              <ReplyTemplateOptions templates={templates.data} />
            </SelectField>
          ) : null}
          <TextAreaField id={FIELDS.comment.id} label="Comment (optional)" hint="Why, for the timeline." rows={2} value={comment} onChange={(e) => setComment(e.target.value)} error={errors.comment} />
          <FormActions label="Change status" busyLabel="Changing…" isBusy={change.isPending} onCancel={onClose} />
        </form>
      )}
    </Modal>
  );
}
