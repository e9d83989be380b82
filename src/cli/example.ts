/** A help example: what it shows, and the arguments that follow `wf COMMAND`. */
export function example(description: string, args = ''): { description: string; command: string } {
  return { description, command: `<%= config.bin %> <%= command.id %>${args ? ` ${args}` : ''}` }
}
