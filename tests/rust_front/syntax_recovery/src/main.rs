//! A bot whose last function is half-edited: tree-sitter reads
//! the good half (the client, its chat call, the model) and recovers after the broken line.
use async_openai::{types::CreateChatCompletionRequestArgs, Client}; // expect: openai.import

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::new(); // expect: openai.client
    let request = CreateChatCompletionRequestArgs::default().model("gpt-4o-mini").build()?; // expect: openai.model
    let answer = client.chat().create(request).await?; // expect: openai.chat-completions
    println!("{answer:?}");
    Ok(())
}

fn half_written(client: &Client<async_openai::config::OpenAIConfig>) {
    let unfinished = client.models().list(; 
    let key = std::env::var("OPENAI_API_KEY"); // expect: openai.env
}
