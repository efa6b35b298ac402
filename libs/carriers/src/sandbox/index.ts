export * from './sandbox.adapter';
export { findMagic, type SandboxFault, type SandboxMethod } from './sandbox.fault';
export { EASYPOST_TEST_CODES, SANDBOX_STORY_NAMES, resolveStory, formatStamp, type SandboxStoryName, type Story, type StoryCue, type StoryStep } from './sandbox.story';
