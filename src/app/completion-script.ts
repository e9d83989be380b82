/** The shells `wf completion` writes a script for. */
export const COMPLETION_SHELLS = ['bash', 'zsh', 'fish'] as const
export type CompletionShell = (typeof COMPLETION_SHELLS)[number]

// Each script asks `BIN __complete -- WORDS…` (the words after the binary's name, the last one
// being completed) and reads one candidate a line, `VALUE<TAB>DESCRIPTION`; `:files` means a path.
const BASH = `# wf completion for bash. Load it from ~/.bashrc:  eval "$(BIN completion bash)"
_BIN_complete() {
  local cur=\${COMP_WORDS[COMP_CWORD]} line out
  local IFS=$'\\n'
  COMPREPLY=()
  out=$(command "\${COMP_WORDS[0]}" __complete -- "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null) || return 0
  [[ $out == ':files' ]] && return 0
  for line in $out; do
    line=\${line%%$'\\t'*}
    [[ $line == "$cur"* ]] && COMPREPLY+=("$line")
  done
  return 0
}
complete -o default -F _BIN_complete BIN
`

const ZSH = `#compdef BIN
# wf completion for zsh. Load it from ~/.zshrc (after compinit):  source <(BIN completion zsh)
# or save it as _BIN in a folder of $fpath.
_BIN() {
  local -a lines described
  local line value desc
  lines=("\${(@f)$(command \${words[1]} __complete -- "\${(@)words[2,CURRENT]}" 2>/dev/null)}")
  if [[ \${lines[1]} == ':files' ]]; then
    _files
    return
  fi
  for line in $lines; do
    [[ -z $line ]] && continue
    value=\${line%%$'\\t'*}
    desc=''
    [[ $line == *$'\\t'* ]] && desc=\${line#*$'\\t'}
    described+=("\${value//:/\\\\:}\${desc:+:$desc}")
  done
  (( \${#described} )) && _describe -t values 'BIN' described
}
if [[ \${funcstack[1]} == _BIN ]]; then _BIN "$@"; else compdef _BIN BIN; fi
`

const FISH = `# wf completion for fish. Load it:  BIN completion fish > ~/.config/fish/completions/BIN.fish
function __BIN_complete
    set -l before (commandline -opc)
    set -l current (commandline -ct)
    set -l out (command $before[1] __complete -- $before[2..-1] $current 2>/dev/null)
    if test "$out" = ':files'
        __fish_complete_path $current
    else
        printf '%s\\n' $out
    end
end
complete -c BIN -f -a '(__BIN_complete)'
`

/** The completion script for `shell`, for the binary named `bin`. */
export function completionScript(shell: CompletionShell, bin: string): string {
  const script = { bash: BASH, zsh: ZSH, fish: FISH }[shell]
  return script.replace(/BIN/g, bin)
}
