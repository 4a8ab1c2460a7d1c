// The plugins folder as a drop target: dropped (or picked) .wasm files go to the uploads store, which
// checks and deploys them one by one.
import { useRef, useState, type DragEvent, type ReactNode } from 'react';
import { usePanel, useHost } from '../stores/panel-context';

export function DropZone({ children }: { children: ReactNode }) {
  const { uploads } = usePanel();
  const maxBytes = useHost((s) => s.maxPluginBytes);
  const pluginsDir = useHost((s) => s.pluginsDir);
  const input = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  // dragenter/dragleave fire for every child crossed: count them to know when the pointer really left.
  const depth = useRef(0);

  const take = (files: FileList | null) => {
    if (files && files.length > 0) void uploads.getState().addFiles([...files], maxBytes);
  };
  const hasFiles = (e: DragEvent) => [...(e.dataTransfer?.types ?? [])].includes('Files');

  return (
    <div
      className={`drop-zone${dragging ? ' dragging' : ''}`}
      data-testid="drop-zone"
      onDragEnter={(e) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        depth.current += 1;
        setDragging(true);
      }}
      onDragOver={(e) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
      }}
      onDragLeave={() => {
        depth.current = Math.max(0, depth.current - 1);
        if (depth.current === 0) setDragging(false);
      }}
      onDrop={(e) => {
        e.preventDefault();
        depth.current = 0;
        setDragging(false);
        take(e.dataTransfer.files);
      }}
    >
      <div className="drop-hint">
        <p>
          <strong>Drop .wasm plugin files here</strong> to deploy them into the plugins folder
          {pluginsDir && (
            <>
              {' '}
              <code title={pluginsDir}>{pluginsDir}</code>
            </>
          )}
          .
        </p>
        <button type="button" onClick={() => input.current?.click()}>
          Choose files…
        </button>
        <input
          ref={input}
          className="visually-hidden"
          type="file"
          accept=".wasm,application/wasm"
          multiple
          aria-label="Plugin files to deploy"
          tabIndex={-1}
          onChange={(e) => {
            take(e.target.files);
            e.target.value = '';
          }}
        />
      </div>
      {children}
      {dragging && (
        <div className="drop-overlay" aria-hidden="true">
          Drop to deploy
        </div>
      )}
    </div>
  );
}
