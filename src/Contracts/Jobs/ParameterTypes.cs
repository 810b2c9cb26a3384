namespace Igor.GitHubActions.Contracts.Jobs;

/// <summary>The Jenkins parameter type names Deck understands.</summary>
public static class ParameterTypes
{
    public const string Text = "StringParameterDefinition";
    public const string Boolean = "BooleanParameterDefinition";
    public const string Choice = "ChoiceParameterDefinition";
    public const string MultiLineText = "TextParameterDefinition";
}
