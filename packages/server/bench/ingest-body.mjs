// Builds realistic ingest batches of 100 events with unique event ids per request, cheaply.
const MODELS = ['gpt-4o', 'gpt-4o-mini', 'claude-sonnet-4-20250514', 'claude-3-5-haiku', 'gemini-2.0-flash']

function eventsFor(prefix, index) {
  const events = []
  const task = `${prefix}-t${index}`
  const stamp = new Date().toISOString()
  for (let i = 0; i < 100; i++) {
    const id = `${prefix}-${index}-${i}`
    const base = { event_id: id, timestamp: stamp, task_id: task, task_run_id: `${task}-r` }
    switch (i % 10) {
      case 0:
        events.push({ ...base, event_type: 'task_started', project_id: 'bench', payload: { summary: `Task ${task} started` } })
        break
      case 1:
      case 5:
        events.push({ ...base, event_type: 'action_started', action_id: `${id}-a`, payload: { action_name: 'fetch_crm_record', function: 'CrmClient.fetch' } })
        break
      case 2:
      case 6:
      case 7: {
        const model = MODELS[(index + i) % MODELS.length]
        events.push({
          ...base,
          event_type: 'custom',
          payload: {
            kind: 'llm_call',
            summary: `draft_reply → ${model} (1200 in / 350 out)`,
            tags: ['llm'],
            data: { name: 'draft_reply', model, tokens_in: 1200, tokens_out: 350, duration_ms: 2100, prompt_preview: 'You are a support agent. Classify the following ticket and draft a reply.' },
          },
        })
        break
      }
      case 3:
      case 8:
        events.push({ ...base, event_type: 'action_completed', action_id: `${id}-a`, status: 'success', duration_ms: 840, payload: { action_name: 'fetch_crm_record' } })
        break
      case 4:
        events.push({ event_id: id, timestamp: stamp, event_type: 'heartbeat', payload: { kind: 'heartbeat_status', summary: 'Working through the queue', data: { queue: 4 } } })
        break
      default:
        events.push({ ...base, event_type: 'task_completed', status: 'success', duration_ms: 11000, payload: { summary: `Task ${task} completed` } })
    }
  }
  return events
}

/** A batch body for agent `agent-<n % agents>`; `prefix` + `index` keep every event_id unique. */
export function ingestBody(prefix, index, agents = 200) {
  return JSON.stringify({
    envelope: { agent_id: `agent-${index % agents}`, agent_type: 'support', agent_version: '1.5.0', framework: 'custom', runtime: 'node-20.20.2', sdk_version: 'bench', environment: 'production', group: 'default' },
    events: eventsFor(prefix, index),
  })
}
