// Baseline capabilities (always granted: checked and disabled) and one checkbox per opt-in capability.
// Each checkbox's accessible name is exactly the capability string; its description comes separately.
import { useId } from 'react';
import {
  BASELINE_CAPABILITIES,
  CAPABILITY_DESCRIPTIONS,
  OPT_IN_CAPABILITIES,
  type Capability,
  type OptInCapability,
} from '../../../shared/capabilities';

interface Props {
  /** Opt-in capabilities as they should show (config, or the user's change on its way). */
  isGranted(capability: OptInCapability): boolean;
  isPending(capability: OptInCapability): boolean;
  /** Capabilities the plugin needs and lacks: highlighted. */
  missing: Capability[];
  /** False when the plugin has no id of its own to hold settings. */
  editable: boolean;
  onToggle(capability: OptInCapability, granted: boolean): void;
}

export function CapabilityList({ isGranted, isPending, missing, editable, onToggle }: Props) {
  const baseId = useId();
  return (
    <fieldset className="capabilities">
      <legend>Capabilities</legend>
      <div className="cap-group cap-baseline">
        <h4 className="cap-group-title">Always granted</h4>
        <ul>
          {BASELINE_CAPABILITIES.map((cap) => (
            <CapabilityRow key={cap} id={`${baseId}-${cap}`} capability={cap} checked disabled compact />
          ))}
        </ul>
      </div>
      <div className="cap-group cap-opt-in">
        <h4 className="cap-group-title">Opt-in</h4>
        <ul>
          {OPT_IN_CAPABILITIES.map((cap) => (
            <CapabilityRow
              key={cap}
              id={`${baseId}-${cap}`}
              capability={cap}
              checked={isGranted(cap)}
              disabled={!editable || isPending(cap)}
              busy={isPending(cap)}
              needed={missing.includes(cap)}
              onChange={(checked) => onToggle(cap, checked)}
            />
          ))}
        </ul>
      </div>
    </fieldset>
  );
}

function CapabilityRow(props: {
  id: string;
  capability: Capability;
  checked: boolean;
  disabled: boolean;
  busy?: boolean;
  needed?: boolean;
  /** Name only, the description kept for assistive technology and the tooltip. */
  compact?: boolean;
  onChange?(checked: boolean): void;
}) {
  const descId = `${props.id}-desc`;
  const description = CAPABILITY_DESCRIPTIONS[props.capability];
  return (
    <li className={`cap${props.needed ? ' cap-needed' : ''}`} title={props.compact ? description : undefined}>
      <input
        id={props.id}
        type="checkbox"
        checked={props.checked}
        disabled={props.disabled}
        aria-describedby={descId}
        aria-busy={props.busy || undefined}
        onChange={(e) => props.onChange?.(e.target.checked)}
      />
      <label htmlFor={props.id} className="cap-name">
        {props.capability}
      </label>
      <span id={descId} className={props.compact ? 'visually-hidden' : 'cap-desc'}>
        {description}
        {props.needed ? ' — needed by this plugin' : ''}
      </span>
    </li>
  );
}
