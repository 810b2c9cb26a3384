namespace Igor.GitHubActions.GitHubSimulator; internal static class Placeholder;
